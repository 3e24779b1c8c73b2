import { Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { AppConfig, ConfigService } from '../config';
import { AppLogger } from './app-logger';
import { httpLoggerOptions, prettyLogs } from './http-logger-options';

/**
 * Structured JSON logs; each line logged while handling a request carries its request id.
 * Requests are logged by a Fastify hook (registerRequestLogging, added by createHttpApp), not by
 * nestjs-pino's middleware (`forRoutes: []`): here nestjs-pino provides the Nest `Logger`.
 */
@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: AppConfig) => ({
        pinoHttp: httpLoggerOptions(
          config.get('LOG_LEVEL', { infer: true }),
          prettyLogs(config.get('NODE_ENV', { infer: true })),
        ),
        useExisting: true,
        forRoutes: [],
      }),
    }),
  ],
  providers: [AppLogger],
  exports: [AppLogger],
})
export class LoggingModule {}
