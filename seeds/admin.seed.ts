import type { DataSource } from 'typeorm';
import type { Env } from '@atelier/core';
import { ensureAdmin } from '@atelier/users';
import type { Seeder } from './run-seeds';

/** The first administrator from ADMIN_EMAIL / ADMIN_PASSWORD, when both are set. */
export const adminSeeder: Seeder = {
  name: 'admin',
  async run(dataSource: DataSource, env: Env): Promise<number> {
    if (!env.ADMIN_EMAIL || !env.ADMIN_PASSWORD) return 0;
    await ensureAdmin(dataSource, {
      email: env.ADMIN_EMAIL,
      password: env.ADMIN_PASSWORD,
      username: env.ADMIN_USERNAME,
    });
    return 1;
  },
};
