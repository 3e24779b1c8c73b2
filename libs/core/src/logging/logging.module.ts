import { Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { AppConfig, ConfigService } from '../config';
import { httpLoggerOptions } from './http-logger-options';

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
        pinoHttp: httpLoggerOptions(config.get('LOG_LEVEL', { infer: true })),
        useExisting: true,
        forRoutes: [],
      }),
    }),
  ],
})
export class LoggingModule {}
