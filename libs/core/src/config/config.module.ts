import { DynamicModule, Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { Env, parseEnv } from './env.schema';

/** Typed access to the validated environment: `config.get('PORT', { infer: true })`. */
export type AppConfig = ConfigService<Env, true>;
export { ConfigService };

@Module({})
export class AtelierConfigModule {
  // Built when the root module is composed (not at import time), so it validates the
  // environment as it is at boot, including URLs of embedded services started just before.
  static forRoot(): DynamicModule {
    return {
      module: AtelierConfigModule,
      imports: [
        ConfigModule.forRoot({
          isGlobal: true,
          cache: true,
          envFilePath: ['.env'],
          validate: (raw) => parseEnv(raw as Record<string, string | undefined>),
        }),
      ],
    };
  }
}
