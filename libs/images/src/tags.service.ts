import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export interface TagCount {
  tag: string;
  count: number;
}

/** The caller's tags with how many of their (not deleted) images carry each. */
@Injectable()
export class TagsService {
  constructor(private readonly db: DataSource) {}

  async countsFor(ownerId: string, limit = 500): Promise<TagCount[]> {
    const rows: { tag: string; count: string }[] = await this.db.query(
      `SELECT t.tag, count(*) AS count
         FROM image_tags t JOIN images i ON i.id = t.image_id AND i.deleted_at IS NULL
        WHERE t.owner_id = $1
        GROUP BY t.tag ORDER BY count(*) DESC, t.tag LIMIT $2`,
      [ownerId, limit],
    );
    return rows.map((r) => ({ tag: r.tag, count: Number(r.count) }));
  }
}
