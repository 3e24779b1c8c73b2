import { HttpStatus, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ProblemException } from '@atelier/core';
import { Plan } from '../plans/plan.entity';
import { PlansService } from '../plans/plans.service';
import { UsersErrorCode } from '../users.errors';
import { dailyLimit, secondsUntil } from './quota-limits';
import { QUOTA_KINDS, QuotaKind } from './quota-usage.entity';
import { nextUtcMidnight, utcDay } from './quota-window';

export interface QuotaKindUsage {
  limit: number;
  used: number;
  remaining: number;
}

export interface QuotaReport {
  plan: { id: string; slug: string; name: string; premium: boolean };
  day: string;
  resetsAt: string;
  usage: Record<QuotaKind, QuotaKindUsage>;
}

/**
 * Daily allowances per user, per UTC day, per kind. Consuming is one conditional upsert, so
 * concurrent requests can never grant more than the limit: PostgreSQL serialises the conflicting
 * rows and re-checks the WHERE against the latest count.
 */
@Injectable()
export class QuotaService {
  constructor(
    private readonly db: DataSource,
    private readonly plans: PlansService,
  ) {}

  /**
   * Takes `amount` of the user's allowance for today, or throws 429 `quota_exceeded`. A caller
   * that already loaded the user's plan passes it and saves a query.
   */
  async consume(userId: string, kind: QuotaKind, amount = 1, plan?: Plan): Promise<void> {
    const now = new Date();
    const day = utcDay(now);
    plan ??= await this.plans.planForUser(userId);
    const limit = dailyLimit(plan, kind);
    const rows: { used: number }[] = await this.db.query(
      `INSERT INTO quota_usage (user_id, day, kind, used)
       SELECT $1::uuid, $2::date, $3::text, $4::int WHERE $4::int <= $5::int
       ON CONFLICT (user_id, day, kind) DO UPDATE SET used = quota_usage.used + EXCLUDED.used
       WHERE quota_usage.used + EXCLUDED.used <= $5::int
       RETURNING used`,
      [userId, day, kind, amount, limit],
    );
    if (rows.length > 0) return;
    const used = await this.usedOn(userId, day, kind);
    const resetsAt = nextUtcMidnight(now);
    throw new ProblemException(
      HttpStatus.TOO_MANY_REQUESTS,
      UsersErrorCode.QuotaExceeded,
      `Your plan allows ${limit} ${kind}s a day; the quota resets at ${resetsAt.toISOString()}.`,
      {
        extensions: { kind, limit, used, resetsAt: resetsAt.toISOString() },
        headers: { 'retry-after': String(secondsUntil(resetsAt, now)) },
      },
    );
  }

  /**
   * Gives back what a failed or cancelled piece of work consumed. `day` is the UTC day it was
   * consumed on (defaults to today), so a job failing after midnight refunds the right day.
   */
  async refund(userId: string, kind: QuotaKind, amount = 1, day: string = utcDay(new Date())): Promise<void> {
    await this.db.query(
      `UPDATE quota_usage SET used = GREATEST(used - $4, 0)
       WHERE user_id = $1 AND day = $2::date AND kind = $3`,
      [userId, day, kind, amount],
    );
  }

  /** Plan, limits, use and reset time for today (GET /me/quota). */
  async usage(userId: string): Promise<QuotaReport> {
    const now = new Date();
    const day = utcDay(now);
    const plan = await this.plans.planForUser(userId);
    const rows: { kind: QuotaKind; used: number }[] = await this.db.query(
      'SELECT kind, used FROM quota_usage WHERE user_id = $1 AND day = $2::date',
      [userId, day],
    );
    const usedBy = new Map(rows.map((row) => [row.kind, Number(row.used)]));
    return {
      plan: summary(plan),
      day,
      resetsAt: nextUtcMidnight(now).toISOString(),
      usage: Object.fromEntries(
        QUOTA_KINDS.map((kind) => {
          const limit = dailyLimit(plan, kind);
          const used = usedBy.get(kind) ?? 0;
          return [kind, { limit, used, remaining: Math.max(0, limit - used) }];
        }),
      ) as Record<QuotaKind, QuotaKindUsage>,
    };
  }

  private async usedOn(userId: string, day: string, kind: QuotaKind): Promise<number> {
    const rows: { used: number }[] = await this.db.query(
      'SELECT used FROM quota_usage WHERE user_id = $1 AND day = $2::date AND kind = $3',
      [userId, day, kind],
    );
    return rows.length ? Number(rows[0].used) : 0;
  }
}

const summary = (plan: Plan) => ({ id: plan.id, slug: plan.slug, name: plan.name, premium: plan.premium });
