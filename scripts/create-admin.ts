import 'reflect-metadata';
import { parseArgs } from 'node:util';
import dataSource from '../config/data-source';
import { ensureAdmin } from '@atelier/users';

// `npm run create-admin -- --email a@b.c --password '…' [--username admin]`: creates (or promotes)
// the administrator without a prompt. In the Docker image: `node dist/scripts/create-admin.js --email …`.
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { email: { type: 'string' }, password: { type: 'string' }, username: { type: 'string' } },
  });
  if (!values.email || !values.password) {
    process.stderr.write(
      'Usage: npm run create-admin -- --email <email> --password <password> [--username <name>]\n',
    );
    process.exit(2);
  }
  await dataSource.initialize();
  try {
    const { id } = await ensureAdmin(dataSource, {
      email: values.email,
      password: values.password,
      username: values.username,
    });
    process.stdout.write(`Administrator ${values.email} ready (${id}).\n`);
  } finally {
    await dataSource.destroy();
  }
}

main().catch((error: Error) => {
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
});
