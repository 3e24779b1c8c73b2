import { Logger, type LoggerService } from '@nestjs/common';
import { pino, type Logger as Pino } from 'pino';
import { prettyLogs, type Env } from '@atelier/core';

/**
 * The cluster primary's log: JSON lines like the workers' (pretty in development), for its own
 * lines and for the Nest loggers of what it runs before forking (infrastructure, seeds).
 */
export function primaryLogger(env: Env): Pino {
  const logger = pino({
    level: env.LOG_LEVEL,
    ...(prettyLogs(env.NODE_ENV)
      ? { transport: { target: 'pino-pretty', options: { singleLine: true } } }
      : {}),
  });
  Logger.overrideLogger(nestLogger(logger));
  return logger;
}

function nestLogger(logger: Pino): LoggerService {
  const at =
    (level: 'info' | 'error' | 'warn' | 'debug' | 'trace') =>
    (message: unknown, ...params: unknown[]) => {
      const context = params.at(-1);
      logger[level]({ context: typeof context === 'string' ? context : undefined }, String(message));
    };
  return { log: at('info'), error: at('error'), warn: at('warn'), debug: at('debug'), verbose: at('trace') };
}
