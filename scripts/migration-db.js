// Creates a throwaway database on the configured server for migration tooling, and drops it.
const { Client } = require('pg');

const adminUrl =
  process.env.DATABASE_ADMIN_URL || process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';

async function withScratchDatabase(fn) {
  const name = `atelier_migcheck_${process.pid}_${Date.now()}`;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  try {
    return await fn(url.toString());
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

module.exports = { withScratchDatabase };
