import { Global, Logger, Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { createSecretKey, randomBytes } from 'node:crypto';
import { AppConfig, ConfigService } from '../config';
import { AccountErasers } from './account-erasers';
import { AdminGuard, JwtAuthGuard, OptionalJwtAuthGuard } from './jwt-auth.guard';
import { OidcVerifier } from './oidc-verifier';
import { TokenRevocations } from './token-revocations';

// Without JWT_SECRET (development only: production requires it), tokens are signed with a
// per-process key, so they stop working when the process restarts.
let developmentSecret: string | undefined;

@Global()
@Module({
  imports: [
    JwtModule.registerAsync({
      global: true,
      inject: [ConfigService],
      useFactory: (config: AppConfig) => {
        let secret = config.get('JWT_SECRET', { infer: true });
        if (!secret) {
          developmentSecret ??= randomBytes(32).toString('hex');
          secret = developmentSecret;
          new Logger('Auth').warn('JWT_SECRET is not set: using a random key for this process');
        }
        // A ready KeyObject: given a string, jsonwebtoken first tries (and fails) to parse it as a
        // public key on every call, which cost about a millisecond per authenticated request.
        const key = createSecretKey(Buffer.from(secret));
        return {
          secretOrKeyProvider: () => key,
          signOptions: {
            algorithm: 'HS256',
            expiresIn: config.get('JWT_ACCESS_TTL_SECONDS', { infer: true }),
          },
          verifyOptions: { algorithms: ['HS256'] },
        };
      },
    }),
  ],
  providers: [JwtAuthGuard, OptionalJwtAuthGuard, AdminGuard, OidcVerifier, TokenRevocations, AccountErasers],
  exports: [JwtAuthGuard, OptionalJwtAuthGuard, AdminGuard, OidcVerifier, TokenRevocations, AccountErasers],
})
export class AuthCoreModule {}
