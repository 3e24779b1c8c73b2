export * from './auth-user';
export * from './jwt-auth.guard';
export * from './oidc-verifier';
export * from './decorators';
export * from './auth-core.module';
export * from './account-erasers';
export * from './token-revocations';
