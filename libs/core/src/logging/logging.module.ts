import { Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { AppConfig, ConfigService } from '../config';
import { redactUrl } from './redact-url';

/** Structured JSON logs; each line carries the request id. Secrets are redacted, never logged. */
@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: AppConfig) => ({
        pinoHttp: {
          level: config.get('LOG_LEVEL', { infer: true }),
          genReqId: (req) => (req as { id?: string }).id ?? '',
          customProps: (req) => ({ requestId: (req as { id?: string }).id }),
          // Probes and scrapes would drown the useful lines.
          autoLogging: { ignore: (req) => /^\/(health|metrics)/.test(req.url ?? '') },
          redact: {
            paths: [
              'req.headers.authorization',
              'req.headers.cookie',
              'req.headers["x-fief-webhook-signature"]',
            ],
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
        },
      }),
    }),
  ],
})
export class LoggingModule {}
