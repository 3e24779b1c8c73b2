import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, Repository } from 'typeorm';
import { AccountErasers, EventBus, TokenRevocations } from '@atelier/core';
import { SessionsService } from '../sessions/sessions.service';
import { User } from '../user.entity';
import { AvatarService } from './avatar.service';

/** Announced after an account was erased, for listeners that keep derived data (caches, stats). */
export const USER_DELETED_CHANNEL = 'users.deleted';

/**
 * The one way an account is deleted: by its owner (DELETE /me), by an administrator, or by the
 * identity provider (Fief user.deleted). Every step converges, so running it again is harmless.
 *
 * 1. Every access and refresh token of the user stops working at once.
 * 2. The user row is anonymised, not removed: rows other tables keep (audit entries, job history,
 *    published-post records) still point at it, and nothing in it identifies the person.
 * 3. Each feature lib loaded in this process erases what it stores for the user (AccountErasers):
 *    social accounts with their posts and schedules, jobs cancelled, images unshared and deleted
 *    (their files are purged by the media queue).
 */
@Injectable()
export class AccountErasureService {
  private readonly logger = new Logger(AccountErasureService.name);

  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    private readonly db: DataSource,
    private readonly sessions: SessionsService,
    private readonly revocations: TokenRevocations,
    private readonly avatars: AvatarService,
    private readonly erasers: AccountErasers,
    private readonly bus: EventBus,
  ) {}

  async erase(userId: string): Promise<void> {
    const user = await this.users.findOne({ where: { id: userId }, withDeleted: true });
    if (!user) return;
    await this.revocations.revokeUser(user.id);
    await this.sessions.endAll(user.id);
    if (!user.deletedAt) await this.anonymise(user);
    await this.erasers.eraseAll(user.id);
    await this.bus.publish(USER_DELETED_CHANNEL, { userId: user.id }).catch((error: Error) => {
      this.logger.warn({ userId: user.id, err: error.message }, 'Could not announce the deletion');
    });
  }

  private async anonymise(user: User): Promise<void> {
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
        oidcIssuer: null,
        oidcSubject: null,
        deletedAt: new Date(),
      });
      await manager.query('DELETE FROM user_tokens WHERE user_id = $1', [user.id]);
    });
    if (user.avatarKey) await this.avatars.discard(user.avatarKey);
  }
}
