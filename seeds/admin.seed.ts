import type { DataSource } from 'typeorm';
import type { Env } from '@atelier/core';
import { ensureAdmin } from '@atelier/users';
import type { Seeder } from './run-seeds';

/**
 * The first administrator from ADMIN_EMAIL / ADMIN_PASSWORD, when both are set: created when
 * missing; with `reset`, also promoted and given ADMIN_PASSWORD again.
 */
export const adminSeeder: Seeder = {
  name: 'admin',
  async run(dataSource: DataSource, env: Env, mode = 'missing'): Promise<number> {
    if (!env.ADMIN_EMAIL || !env.ADMIN_PASSWORD) return 0;
    const account = { email: env.ADMIN_EMAIL, password: env.ADMIN_PASSWORD, username: env.ADMIN_USERNAME };
    const { created } = await ensureAdmin(dataSource, account, mode === 'reset' ? 'update' : 'keep');
    return mode === 'reset' || created ? 1 : 0;
  },
};
