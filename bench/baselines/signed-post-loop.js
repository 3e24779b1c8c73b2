// The floor of the publish scenario: the same signed webhook deliveries (Standard Webhooks), sent
// straight from a loop at a fixed concurrency, as its own process. Env: HOOK_URL, SECRET, TOTAL,
// CONCURRENCY. Prints `ready`, then one JSON line { seconds, cpuMs } when done, and exits.
const { Webhook } = require('standardwebhooks');

async function main() {
  console.log('ready');
  const signer = new Webhook(process.env.SECRET);
  const total = Number(process.env.TOTAL);
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  let next = 0;
  const client = async () => {
    while (next < total) {
      const i = next++;
      const id = `baseline-${i}`;
      const payload = JSON.stringify({ type: 'post.published', post: { id, caption: `Bench post ${i}` } });
      const sentAt = new Date();
      const res = await fetch(process.env.HOOK_URL, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'webhook-id': id,
          'webhook-timestamp': String(Math.floor(sentAt.getTime() / 1000)),
          'webhook-signature': signer.sign(id, sentAt, payload),
        },
        body: payload,
      });
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`receiver answered ${res.status}`);
    }
  };
  await Promise.all(Array.from({ length: Number(process.env.CONCURRENCY) }, client));
  const cpu = process.cpuUsage(cpuBefore);
  const seconds = (performance.now() - started) / 1000;
  console.log(JSON.stringify({ seconds, cpuMs: (cpu.user + cpu.system) / 1000 }));
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
