import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, Repository } from 'typeorm';
import { EventBus, ProblemException } from '@atelier/core';
import { AccountMails } from '../auth/account-mails';
import { verifyPassword } from '../auth/password-hasher';
import { RateLimiter } from '../auth/rate-limiter';
import { SessionsService } from '../sessions/sessions.service';
import { normalizeEmail, User } from '../user.entity';
import { UsersErrorCode } from '../users.errors';
import { UsersService } from '../users.service';
import { AvatarService } from './avatar.service';

export interface ProfileChanges {
  displayName?: string;
  bio?: string;
  preferences?: Record<string, unknown>;
  socialHandles?: Record<string, string>;
  email?: string;
}

/** Event other libs listen to (on the EventBus) to remove or anonymise what a deleted user owned. */
export const USER_DELETED_CHANNEL = 'users.deleted';

/** The signed-in user's own account: profile, email change, deletion. */
@Injectable()
export class MeService {
  private readonly logger = new Logger(MeService.name);

  constructor(
    @InjectRepository(User) private readonly repository: Repository<User>,
    private readonly db: DataSource,
    private readonly users: UsersService,
    private readonly mails: AccountMails,
    private readonly sessions: SessionsService,
    private readonly avatars: AvatarService,
    private readonly bus: EventBus,
    private readonly limiter: RateLimiter,
  ) {}

  /** 401 (not 404) when the account behind a still-valid token was deleted. */
  async get(userId: string): Promise<User> {
    const user = await this.users.findById(userId);
    if (!user)
      throw ProblemException.unauthorized(UsersErrorCode.AccountGone, 'This account no longer exists.');
    return user;
  }

  /** A new email takes effect at once but must be verified again; the link goes to the new address. */
  async update(userId: string, changes: ProfileChanges): Promise<User> {
    const user = await this.get(userId);
    const { email, ...profile } = changes;
    const newEmail = email !== undefined ? normalizeEmail(email) : undefined;
    const emailChanged = newEmail !== undefined && newEmail !== user.email;
    if (emailChanged) await this.users.assertAvailable({ email: newEmail }, user.id);
    Object.assign(user, profile, emailChanged ? { email: newEmail, emailVerifiedAt: null } : {});
    await this.repository.save(user);
    if (emailChanged) await this.mails.sendVerification(user.id, newEmail);
    return this.get(userId);
  }

  /**
   * Anonymises the account (rows other libs reference stay valid, nothing identifies the person),
   * revokes its sessions and announces the deletion so other libs remove the user's content.
   */
  async delete(userId: string, password: string): Promise<void> {
    const user = await this.get(userId);
    const hash = await this.users.passwordHashOf(userId);
    if (!hash) {
      throw ProblemException.badRequest(
        UsersErrorCode.PasswordNotSet,
        'This account has no password; delete it at your identity provider.',
      );
    }
    if (!(await this.limiter.checkPassword(`user:${userId}`, () => verifyPassword(hash, password)))) {
      throw new ProblemException(400, UsersErrorCode.WrongPassword, 'The password is wrong.', {
        errors: [{ field: 'password', message: 'is wrong' }],
      });
    }
    await this.anonymise(user);
  }

  /** Shared by DELETE /me and the identity provider's user.deleted event. */
  async anonymise(user: User): Promise<void> {
    const tombstone = `deleted-${user.id}`;
    await this.db.transaction(async (manager) => {
      await manager.update(User, user.id, {
        email: `${tombstone}@deleted.invalid`,
        username: tombstone,
        usernameKey: tombstone,
        displayName: '',
        bio: '',
        preferences: {},
        socialHandles: {},
        avatarKey: null,
        passwordHash: null,
        externalId: null,
        deletedAt: new Date(),
      });
      await manager.query('DELETE FROM user_tokens WHERE user_id = $1', [user.id]);
    });
    await this.sessions.endAll(user.id);
    if (user.avatarKey) await this.avatars.discard(user.avatarKey);
    await this.bus.publish(USER_DELETED_CHANNEL, { userId: user.id }).catch((error: Error) => {
      this.logger.warn({ userId: user.id, err: error.message }, 'Could not announce the deletion');
    });
  }
}
