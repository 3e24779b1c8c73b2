import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, Repository } from 'typeorm';
import { AuthUser, keysetPage, Page, ProblemException, Role } from '@atelier/core';
import type { ListUsersQuery } from '../dto/admin-user.dto';
import { AccountErasureService } from '../me/account-erasure.service';
import { PlansService } from '../plans/plans.service';
import { QuotaReport, QuotaService } from '../quotas/quota.service';
import { SessionsService } from '../sessions/sessions.service';
import { User } from '../user.entity';
import { UsersErrorCode } from '../users.errors';
import { AdminAction } from './admin-audit-entry.entity';
import { AdminAuditService } from './admin-audit.service';
import { UserUsageRegistry } from './user-usage.registry';

export interface UserWithUsage {
  user: User;
  quota: QuotaReport;
  counts: Record<string, number>;
}

/** Administrators managing other people's accounts; every change is written to the audit log. */
@Injectable()
export class AdminUsersService {
  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    private readonly db: DataSource,
    private readonly plans: PlansService,
    private readonly quotas: QuotaService,
    private readonly usage: UserUsageRegistry,
    private readonly sessions: SessionsService,
    private readonly erasure: AccountErasureService,
    private readonly audit: AdminAuditService,
  ) {}

  /** Newest first; `q` matches part of the email or username (trigram-indexed). */
  list(query: ListUsersQuery): Promise<Page<User>> {
    const qb = this.users.createQueryBuilder('user');
    if (query.q) {
      const pattern = `%${query.q.toLowerCase().replace(/[\\%_]/g, '\\$&')}%`;
      qb.andWhere('(user.email LIKE :pattern OR user.usernameKey LIKE :pattern)', { pattern });
    }
    if (query.role) qb.andWhere('user.role = :role', { role: query.role });
    if (query.planId) qb.andWhere('user.planId = :planId', { planId: query.planId });
    if (query.status === 'active') qb.andWhere('user.deactivatedAt IS NULL');
    if (query.status === 'deactivated') qb.andWhere('user.deactivatedAt IS NOT NULL');
    return keysetPage(qb, {
      sortColumn: 'user.createdAt',
      idColumn: 'user.id',
      limit: query.limit,
      cursor: query.cursor,
      map: (user) => user,
    });
  }

  async detail(id: string): Promise<UserWithUsage> {
    const user = await this.get(id);
    const [quota, counts] = await Promise.all([this.quotas.usage(id), this.usage.countsFor(id)]);
    return { user, quota, counts };
  }

  /**
   * A role change ends the user's sessions: access tokens carry the role, so the next sign-in
   * (or token) must be issued with the new one.
   */
  async changeRole(actor: AuthUser, id: string, role: Role): Promise<User> {
    const user = await this.getOther(actor, id);
    if (user.role === role) return user;
    await this.changeAndRecord(actor, id, { role }, AdminAction.ChangeRole, { from: user.role, to: role });
    await this.sessions.endAll(id);
    return this.get(id);
  }

  async changePlan(actor: AuthUser, id: string, planId: string): Promise<User> {
    const [user, plan] = await Promise.all([this.get(id), this.plans.get(planId)]);
    if (user.planId === plan.id) return user;
    await this.changeAndRecord(actor, id, { planId: plan.id }, AdminAction.ChangePlan, {
      from: user.planId,
      to: plan.id,
      slug: plan.slug,
    });
    return this.get(id);
  }

  /** Sign-in is refused from now on and every session ends. Repeating it changes nothing. */
  async deactivate(actor: AuthUser, id: string): Promise<User> {
    const user = await this.getOther(actor, id);
    if (!user.deactivatedAt)
      await this.changeAndRecord(actor, id, { deactivatedAt: new Date() }, AdminAction.Deactivate);
    await this.sessions.endAll(id);
    return this.get(id);
  }

  async reactivate(actor: AuthUser, id: string): Promise<User> {
    const user = await this.get(id);
    if (!user.deactivatedAt) return user;
    await this.changeAndRecord(actor, id, { deactivatedAt: null }, AdminAction.Reactivate);
    return this.get(id);
  }

  /** The same erasure as DELETE /me (AccountErasureService), recorded in the trail. */
  async delete(actor: AuthUser, id: string): Promise<void> {
    const user = await this.getOther(actor, id);
    await this.erasure.erase(user.id);
    await this.audit.record(this.db.manager, {
      actorId: actor.id,
      action: AdminAction.Delete,
      targetUserId: id,
    });
  }

  /** The change and its audit entry commit together: no change goes unrecorded. */
  private async changeAndRecord(
    actor: AuthUser,
    id: string,
    changes: Partial<Pick<User, 'role' | 'planId' | 'deactivatedAt'>>,
    action: AdminAction,
    details?: Record<string, unknown>,
  ): Promise<void> {
    await this.db.transaction(async (manager) => {
      await manager.update(User, id, changes);
      await this.audit.record(manager, { actorId: actor.id, action, targetUserId: id, details });
    });
  }

  private async get(id: string): Promise<User> {
    const user = await this.users.findOneBy({ id });
    if (!user) throw ProblemException.notFound(UsersErrorCode.UserNotFound, 'User not found.');
    return user;
  }

  /** An administrator cannot demote, deactivate or delete themself (the last admin could vanish). */
  private async getOther(actor: AuthUser, id: string): Promise<User> {
    if (actor.id === id) {
      throw ProblemException.conflict(
        UsersErrorCode.AdminSelfChange,
        'Administrators cannot change their own role or deactivate or delete their own account here.',
      );
    }
    return this.get(id);
  }
}
