import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/**
 * How many queued jobs are ahead of each user's oldest queued job (0 = next in line), for the
 * users connected to the socket gateway. One query, served by the (status, queued_at) index.
 */
@Injectable()
export class QueuePositions {
  constructor(private readonly db: DataSource) {}

  async forUsers(userIds: string[]): Promise<Map<string, number>> {
    if (userIds.length === 0) return new Map();
    const rows: { owner_id: string; ahead: number }[] = await this.db.query(
      `SELECT mine.owner_id,
              (SELECT count(*)::int FROM jobs other
               WHERE other.status = 'queued' AND other.queued_at < mine.first_queued_at) AS ahead
       FROM (SELECT owner_id, min(queued_at) AS first_queued_at FROM jobs
             WHERE status = 'queued' AND owner_id = ANY($1::uuid[]) GROUP BY owner_id) mine`,
      [userIds],
    );
    return new Map(rows.map((row) => [row.owner_id, row.ahead]));
  }
}
