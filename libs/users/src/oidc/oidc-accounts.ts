import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { createHash } from 'node:crypto';
import { IsNull, Repository } from 'typeorm';
import { AuthUser, isUniqueViolation, OidcAccountResolver, OidcIdentity } from '@atelier/core';
import { accountDeactivated } from '../auth/auth.service';
import { PlansService } from '../plans/plans.service';
import { normalizeEmail, User, usernameKeyOf } from '../user.entity';
import { UsersService } from '../users.service';

/**
 * The local account behind an OpenID Connect identity: found by issuer + subject, else the user a
 * Fief webhook mirrored (Fief's user id is the token's subject), else created on first use on the
 * default plan. Plans, quotas and roles are then the local account's, as for any other user.
 */
@Injectable()
export class OidcAccounts extends OidcAccountResolver {
  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    private readonly plans: PlansService,
    private readonly accounts: UsersService,
  ) {
    super();
  }

  async resolve(identity: OidcIdentity): Promise<AuthUser> {
    const user = (await this.find(identity)) ?? (await this.create(identity));
    if (user.deactivatedAt) throw accountDeactivated();
    return { id: user.id, role: user.role };
  }

  private async find(identity: OidcIdentity): Promise<User | null> {
    const { issuer, subject } = identity;
    const linked = await this.users.findOneBy({ oidcIssuer: issuer, oidcSubject: subject });
    if (linked) return linked;
    const mirrored = await this.users.findOneBy({ externalId: subject, oidcSubject: IsNull() });
    if (mirrored) await this.users.update(mirrored.id, { oidcIssuer: issuer, oidcSubject: subject });
    return mirrored;
  }

  private async create(identity: OidcIdentity): Promise<User> {
    const claimed = identity.email ? normalizeEmail(identity.email) : undefined;
    const emailFree = claimed && !(await this.users.exist({ where: { email: claimed }, withDeleted: true }));
    // Without a free address of their own, the account gets one that can never receive mail.
    const email = emailFree ? claimed : `oidc-${digest(identity)}@users.invalid`;
    const username = await this.accounts.freeUsername(
      identity.preferredUsername ?? claimed?.split('@')[0] ?? `user-${digest(identity).slice(0, 8)}`,
    );
    try {
      return await this.users.save(
        this.users.create({
          email,
          username,
          usernameKey: usernameKeyOf(username),
          displayName: identity.name ?? username,
          passwordHash: null,
          externalId: identity.subject,
          oidcIssuer: identity.issuer,
          oidcSubject: identity.subject,
          // The provider vouches for the person; only an address it has not verified needs our link.
          emailVerifiedAt: emailFree && !identity.emailVerified ? null : new Date(),
          planId: (await this.plans.defaultPlan()).id,
        }),
      );
    } catch (error) {
      // Two first requests at once: the other one created the account.
      const existing = isUniqueViolation(error) ? await this.find(identity) : null;
      if (existing) return existing;
      throw error;
    }
  }
}

function digest(identity: OidcIdentity): string {
  return createHash('sha256').update(`${identity.issuer}\n${identity.subject}`).digest('hex').slice(0, 24);
}
