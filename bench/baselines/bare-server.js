// The floor of the HTTP scenarios: bare Fastify with the same routes answered by one SQL statement
// on a plain pg pool (no auth, no framework layers, no schema work). WORKERS processes share the
// port through node:cluster, as Atelier's api does with API_WORKERS, so CPU and req/s compare.
// Env: PORT, WORKERS (default 1), DATABASE_URL (for /images and /gallery), OWNER_ID (for /images).
// Prints `ready` once every process listens.
const cluster = require('node:cluster');

const port = Number(process.env.PORT);
const workers = Number(process.env.WORKERS ?? 1);

// The gallery's visibility predicate (its partial indexes match it).
const VISIBLE = `is_public AND deleted_at IS NULL AND moderation_state IN ('safe', 'skipped')`;

async function serve() {
  const fastify = require('fastify')({ logger: false });
  const pool = process.env.DATABASE_URL
    ? new (require('pg').Pool)({ connectionString: process.env.DATABASE_URL, max: 10 })
    : undefined;

  fastify.get('/health/live', async () => ({ status: 'ok' }));
  // The library page: the owner's newest images, keyset-ordered, one more row to know there is a next.
  fastify.get('/images', async (request) => {
    const limit = Number(request.query.limit ?? 50);
    const { rows } = await pool.query(
      `SELECT * FROM images WHERE owner_id = $1 AND deleted_at IS NULL
        ORDER BY created_at DESC, id DESC LIMIT $2`,
      [process.env.OWNER_ID, limit + 1],
    );
    return { items: rows.slice(0, limit), nextCursor: rows.length > limit ? rows[limit - 1].id : null };
  });
  // The gallery search: public images whose text contains `q`, newest first.
  fastify.get('/gallery', async (request) => {
    const limit = Number(request.query.limit ?? 24);
    const { rows } = await pool.query(
      `SELECT * FROM images WHERE ${VISIBLE} AND search_text ILIKE $1
        ORDER BY created_at DESC, id DESC LIMIT $2`,
      [`%${request.query.q}%`, limit + 1],
    );
    return { items: rows.slice(0, limit), nextCursor: rows.length > limit ? rows[limit - 1].id : null };
  });
  fastify.addHook('onClose', async () => pool?.end());
  await fastify.listen({ port, host: '127.0.0.1' });
  process.on('SIGTERM', () => fastify.close().then(() => process.exit(0)));
  return fastify;
}

if (workers > 1 && cluster.isPrimary) {
  let listening = 0;
  for (let i = 0; i < workers; i++) cluster.fork();
  cluster.on('listening', () => {
    if (++listening === workers) console.log('ready');
  });
  process.on('SIGTERM', () => {
    for (const worker of Object.values(cluster.workers)) worker.process.kill('SIGTERM');
    cluster.on('exit', () => Object.keys(cluster.workers).length === 0 && process.exit(0));
  });
} else {
  serve().then(
    () => workers === 1 && console.log('ready'),
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
}
