import type { DataSource } from 'typeorm';
import { checkPassword } from '../auth/password-policy';
import { hashPassword } from '../auth/password-hasher';
import { DEFAULT_PLAN_SLUG, Plan } from '../plans/plan.entity';
import { normalizeEmail, User, usernameKeyOf } from '../user.entity';

export interface AdminAccount {
  email: string;
  password: string;
  username?: string;
}

/**
 * Creates the administrator, or promotes and re-keys the account with that email, without any
 * prompt (seeds and `npm run create-admin`). Returns the user id.
 */
export async function ensureAdmin(dataSource: DataSource, account: AdminAccount): Promise<string> {
  const email = normalizeEmail(account.email);
  const username = account.username ?? email.split('@')[0];
  const problem = checkPassword(account.password, { email, username });
  if (problem) throw new Error(`Admin password refused: ${problem}`);
  const users = dataSource.getRepository(User);
  const plan = await dataSource.getRepository(Plan).findOneBy({ slug: DEFAULT_PLAN_SLUG });
  const passwordHash = await hashPassword(account.password);
  const existing = await users.findOneBy({ email });
  if (existing) {
    await users.update(existing.id, {
      role: 'admin',
      passwordHash,
      emailVerifiedAt: existing.emailVerifiedAt ?? new Date(),
    });
    return existing.id;
  }
  const created = await users.save(
    users.create({
      email,
      username,
      usernameKey: usernameKeyOf(username),
      displayName: username,
      passwordHash,
      role: 'admin',
      emailVerifiedAt: new Date(),
      planId: plan?.id ?? null,
    }),
  );
  return created.id;
}
