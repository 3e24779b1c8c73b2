import { Module } from '@nestjs/common';
import { AccountPagesController } from './auth/pages/account-pages.controller';
import { AuthController } from './auth/auth.controller';
import { PasswordController } from './auth/password.controller';
import { FiefWebhookController } from './fief/fief-webhook.controller';
import { MeController } from './me/me.controller';
import { PlansController } from './plans/plans.controller';
import { UsersModule } from './users.module';

/** Routes of the users lib: auth, me, plans, identity-provider webhooks. */
@Module({
  imports: [UsersModule],
  controllers: [
    AuthController,
    AccountPagesController,
    PasswordController,
    MeController,
    PlansController,
    FiefWebhookController,
  ],
})
export class UsersHttpModule {}
