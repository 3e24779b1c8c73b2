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
 * Creates the administrator, or (`existing: 'update'`, as `npm run create-admin` does) promotes and
 * re-keys the account with that email, without any prompt. At every start (`existing: 'keep'`) an
 * existing account is left as it is: its owner may have changed the password since.
 */
export async function ensureAdmin(
  dataSource: DataSource,
  account: AdminAccount,
  existing: 'keep' | 'update' = 'update',
): Promise<{ id: string; created: boolean }> {
  const email = normalizeEmail(account.email);
  const username = account.username ?? email.split('@')[0];
  const problem = checkPassword(account.password, { email, username });
  if (problem) throw new Error(`Admin password refused: ${problem}`);
  const users = dataSource.getRepository(User);
  const found = await users.findOneBy({ email });
  if (found && existing === 'keep') return { id: found.id, created: false };
  const plan = await dataSource.getRepository(Plan).findOneBy({ slug: DEFAULT_PLAN_SLUG });
  const passwordHash = await hashPassword(account.password);
  if (found) {
    await users.update(found.id, {
      role: 'admin',
      passwordHash,
      emailVerifiedAt: found.emailVerifiedAt ?? new Date(),
    });
    return { id: found.id, created: false };
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
  return { id: created.id, created: true };
}
