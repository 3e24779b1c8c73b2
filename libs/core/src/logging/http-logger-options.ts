import type { Options } from 'pino-http';
import { redactUrl } from './redact-url';

/**
 * Development logs are for a person at a terminal: human-readable through pino-pretty (a dev
 * dependency, so a production install without it stays on JSON). Everything else logs JSON lines.
 */
export function prettyLogs(nodeEnv: string): boolean {
  if (nodeEnv !== 'development') return false;
  try {
    require.resolve('pino-pretty');
    return true;
  } catch {
    return false;
  }
}

/**
 * pino-http settings shared by the request logger (registerRequestLogging) and nestjs-pino's
 * out-of-request logger. Secrets are redacted, never logged.
 */
export function httpLoggerOptions(level: string, pretty = false): Options {
  return {
    level,
    ...(pretty ? { transport: { target: 'pino-pretty', options: { singleLine: true } } } : {}),
    // Fastify's id (a sane incoming X-Request-Id, else a fresh UUID), copied onto the raw request.
    genReqId: (req) => (req as { id?: string }).id ?? '',
    // The request logger binds only `requestId`: one cheap child per request, and every line
    // logged while handling the request carries the id. The completion line adds req and res.
    quietReqLogger: true,
    customAttributeKeys: { reqId: 'requestId' },
    redact: {
      paths: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-fief-webhook-signature"]'],
      censor: '[redacted]',
    },
    serializers: {
      req: (req: { id: string; method: string; url: string }) => ({
        id: req.id,
        method: req.method,
        url: redactUrl(req.url),
      }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
  };
}
