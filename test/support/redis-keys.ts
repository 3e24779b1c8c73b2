import Redis from 'ioredis';

/** Removes every key under one test run's queue prefix (Bull queues, pub/sub bookkeeping). */
export async function deleteRedisKeys(url: string, prefix: string): Promise<void> {
  const redis = new Redis(url);
  try {
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
  } finally {
    redis.disconnect();
  }
}
