import { Injectable } from '@nestjs/common';

/**
 * One feature's part of erasing an account: remove or anonymise what the user owned in the tables
 * that feature owns. Must be idempotent: erasure may run again (a redelivered identity-provider
 * webhook, an admin deleting an already deleted user).
 */
export interface AccountEraser {
  readonly name: string;
  erase(userId: string): Promise<void>;
}

/**
 * Where each feature lib registers its AccountEraser (in `onModuleInit`), so the users lib can
 * erase an account without depending on every lib that stores something for a user. Only the
 * feature modules loaded in this process register.
 */
@Injectable()
export class AccountErasers {
  private readonly erasers: AccountEraser[] = [];

  register(eraser: AccountEraser): void {
    if (!this.erasers.some((e) => e.name === eraser.name)) this.erasers.push(eraser);
  }

  async eraseAll(userId: string): Promise<void> {
    for (const eraser of this.erasers) await eraser.erase(userId);
  }
}
