import type { AccountCredentials } from './publisher';
import { unexpectedAnswer } from './platform-http';

export function requireToken(service: string, credentials: AccountCredentials): string {
  if (!credentials.accessToken) throw unexpectedAnswer(service, 'the account has no access token');
  return credentials.accessToken;
}

export function requireExternalId(service: string, credentials: AccountCredentials): string {
  const id = credentials.account.externalId;
  if (!id) throw unexpectedAnswer(service, 'the account has no external id (run verify first)');
  return id;
}
