import { Module } from '@nestjs/common';
import { AdminAuditController } from './admin/admin-audit.controller';
import { AdminUsersController } from './admin/admin-users.controller';
import { AccountPagesController } from './auth/pages/account-pages.controller';
import { AuthController } from './auth/auth.controller';
import { PasswordController } from './auth/password.controller';
import { FiefWebhookController } from './fief/fief-webhook.controller';
import { MeController } from './me/me.controller';
import { PlansController } from './plans/plans.controller';
import { UsersModule } from './users.module';

/** Routes of the users lib: auth, me, plans, identity-provider webhooks, user administration. */
@Module({
  imports: [UsersModule],
  controllers: [
    AuthController,
    AccountPagesController,
    PasswordController,
    MeController,
    PlansController,
    FiefWebhookController,
    AdminUsersController,
    AdminAuditController,
  ],
})
export class UsersHttpModule {}
