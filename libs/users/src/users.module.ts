import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { OidcAccountResolver } from '@atelier/core';
import { StorageModule } from '@atelier/storage';
import { AdminAuditService } from './admin/admin-audit.service';
import { AdminUsersService } from './admin/admin-users.service';
import { UserUsageRegistry } from './admin/user-usage.registry';
import { AccountMails } from './auth/account-mails';
import { AuthService } from './auth/auth.service';
import { EmailTokensService } from './auth/email-tokens.service';
import { PasswordService } from './auth/password.service';
import { RateLimiter } from './auth/rate-limiter';
import { RegistrationService } from './auth/registration.service';
import { VerifiedEmailGuard } from './auth/verified-email.guard';
import { FiefUserSync } from './fief/fief-user-sync';
import { FiefWebhookService } from './fief/fief-webhook.service';
import { MailOutbox } from './mail/mail-outbox';
import { AccountErasureService } from './me/account-erasure.service';
import { AvatarService } from './me/avatar.service';
import { MeService } from './me/me.service';
import { OidcAccounts } from './oidc/oidc-accounts';
import { PlansService } from './plans/plans.service';
import { QuotaService } from './quotas/quota.service';
import { SessionsService } from './sessions/sessions.service';
import { USERS_ENTITIES } from './users.entities';
import { UsersService } from './users.service';

/** What other libs use: accounts, plans, quotas and the verified-email guard. */
const PUBLIC_PROVIDERS = [UsersService, PlansService, QuotaService, VerifiedEmailGuard, UserUsageRegistry];

/**
 * Accounts, sessions, plans and quotas (no transport). Global, so any lib's controllers can use
 * @VerifiedUser() and inject QuotaService / PlansService without wiring.
 */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature(USERS_ENTITIES), StorageModule],
  providers: [
    ...PUBLIC_PROVIDERS,
    RateLimiter,
    MailOutbox,
    EmailTokensService,
    AccountMails,
    SessionsService,
    RegistrationService,
    AuthService,
    PasswordService,
    AvatarService,
    MeService,
    AccountErasureService,
    FiefUserSync,
    FiefWebhookService,
    AdminAuditService,
    AdminUsersService,
    OidcAccounts,
    // The auth guards in core resolve OpenID Connect identities to accounts through this.
    { provide: OidcAccountResolver, useExisting: OidcAccounts },
  ],
  exports: [
    ...PUBLIC_PROVIDERS,
    RegistrationService,
    AuthService,
    PasswordService,
    SessionsService,
    MeService,
    AccountErasureService,
    AvatarService,
    FiefWebhookService,
    AdminAuditService,
    AdminUsersService,
    OidcAccountResolver,
  ],
})
export class UsersModule {}
