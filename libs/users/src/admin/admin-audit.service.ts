import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { keysetPage, Page } from '@atelier/core';
import { AdminAction, AdminAuditEntry } from './admin-audit-entry.entity';

export interface AuditRecord {
  actorId: string;
  action: AdminAction;
  targetUserId: string;
  details?: Record<string, unknown>;
}

/** The append-only trail of administrator actions. */
@Injectable()
export class AdminAuditService {
  constructor(@InjectRepository(AdminAuditEntry) private readonly entries: Repository<AdminAuditEntry>) {}

  /** Written with `manager` inside the action's own transaction, so no change goes unrecorded. */
  async record(manager: EntityManager, record: AuditRecord): Promise<void> {
    const entry = manager.create(AdminAuditEntry, { ...record, details: record.details ?? {} });
    await manager.save(entry, { transaction: false });
  }

  list(query: { limit: number; cursor?: string; targetUserId?: string }): Promise<Page<AdminAuditEntry>> {
    const qb = this.entries.createQueryBuilder('entry');
    if (query.targetUserId) qb.where('entry.targetUserId = :target', { target: query.targetUserId });
    return keysetPage(qb, {
      sortColumn: 'entry.createdAt',
      idColumn: 'entry.id',
      limit: query.limit,
      cursor: query.cursor,
      map: (row) => row,
    });
  }
}
