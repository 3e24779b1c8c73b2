import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { AccountErasureService } from '../me/account-erasure.service';
import { PlansService } from '../plans/plans.service';
import { normalizeEmail, User, usernameKeyOf } from '../user.entity';
import { UsersService } from '../users.service';

/** The part of Fief's user object we keep. */
export interface FiefUser {
  id: string;
  email: string;
  email_verified?: boolean;
  fields?: Record<string, unknown>;
}

/**
 * Mirrors identity-provider users locally. Every operation converges to the same state however
 * many times it runs, so redelivered or reordered events are harmless.
 */
@Injectable()
export class FiefUserSync {
  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    private readonly plans: PlansService,
    private readonly erasure: AccountErasureService,
    private readonly accounts: UsersService,
  ) {}

  /** user.created / user.updated: link by Fief id, else by email, else create (no password). */
  async upsert(fief: FiefUser): Promise<User> {
    const email = normalizeEmail(fief.email);
    const linked =
      (await this.users.findOneBy({ externalId: fief.id })) ?? (await this.users.findOneBy({ email }));
    const verifiedAt = fief.email_verified ? (linked?.emailVerifiedAt ?? new Date()) : null;
    if (linked) {
      const emailChanged = email !== linked.email;
      const emailFree = !emailChanged || !(await this.users.exist({ where: { email }, withDeleted: true }));
      // A new address is only as verified as Fief says; the same address keeps a local verification.
      const emailVerifiedAt = emailChanged ? verifiedAt : (linked.emailVerifiedAt ?? verifiedAt);
      await this.users.update(linked.id, {
        externalId: fief.id,
        ...(emailFree ? { email, emailVerifiedAt } : {}),
      });
      return this.users.findOneByOrFail({ id: linked.id });
    }
    const username = await this.accounts.freeUsername(
      stringField(fief.fields, 'username') ?? email.split('@')[0],
    );
    return this.users.save(
      this.users.create({
        email,
        username,
        usernameKey: usernameKeyOf(username),
        displayName: stringField(fief.fields, 'name') ?? username,
        passwordHash: null,
        externalId: fief.id,
        emailVerifiedAt: verifiedAt,
        planId: (await this.plans.defaultPlan()).id,
      }),
    );
  }

  /** user.deleted: erase the linked account; unknown ids are already "deleted". */
  async remove(fiefId: string): Promise<void> {
    const user = await this.users.findOneBy({ externalId: fiefId });
    if (user) await this.erasure.erase(user.id);
  }
}

function stringField(fields: Record<string, unknown> | undefined, name: string): string | undefined {
  const value = fields?.[name];
  return typeof value === 'string' && value.trim() ? value.trim() : undefined;
}
