// The floor of the jobs scenario: a bare Bull worker process running no-op jobs at the worker's
// concurrency, on the same Redis. The bench adds the jobs and hears them complete (global events).
// Env: REDIS_URL, QUEUE_PREFIX, CONCURRENCY. Prints `ready` once it processes.
const Bull = require('bull');

const queue = new Bull('bench-noop', process.env.REDIS_URL, { prefix: process.env.QUEUE_PREFIX });
void queue.process(Number(process.env.CONCURRENCY ?? 16), async () => undefined);
queue.isReady().then(() => console.log('ready'));
process.on('SIGTERM', () => queue.close().then(() => process.exit(0)));
