// `npm run openapi`: writes the API's OpenAPI document to openapi.json (the committed contract
// the typed client in libs/client is generated from). The app is built, not started: it needs a
// database to construct its modules, so it gets a scratch one, dropped afterwards.
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { format } from 'prettier';
import { buildOpenApiDocument, parseEnv } from '@atelier/core';
import { createApiApp } from '../apps/api/src/create-api-app';
import { createScratchDatabase } from '../test/support/database';

export const OPENAPI_FILE = join(__dirname, '..', 'openapi.json');

/** The document as committed: prettier-formatted JSON, so the file passes `prettier --check`. */
export function formatOpenApi(document: object): Promise<string> {
  return format(JSON.stringify(document), { parser: 'json', printWidth: 110 });
}

async function main(): Promise<void> {
  const database = await createScratchDatabase();
  try {
    // The app's config module reads process.env itself, as in production.
    Object.assign(process.env, {
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      DATABASE_URL: database.url,
      QUEUE_PREFIX: `openapi${randomBytes(4).toString('hex')}`,
      WORKER_EMBEDDED: 'false',
    });
    const app = await createApiApp(parseEnv(process.env));
    try {
      writeFileSync(OPENAPI_FILE, await formatOpenApi(buildOpenApiDocument(app)));
    } finally {
      await app.close();
    }
  } finally {
    await database.drop();
  }
}

if (require.main === module) {
  main().catch((error: Error) => {
    process.stderr.write(`${error.stack ?? error.message}\n`);
    process.exit(1);
  });
}
