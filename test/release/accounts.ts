import { randomBytes } from 'node:crypto';
import sharp from 'sharp';
import type { SmtpFake } from '../fakes/smtp.fake';
import { ApiClient, expectStatus } from './api-client';

export interface SignedUp {
  email: string;
  password: string;
  client: ApiClient;
  user: { id: string; emailVerified: boolean; role: string; [field: string]: unknown };
}

/** The first link in a mail's text part. */
export function linkIn(text: string | undefined): string {
  const match = /https?:\/\/\S+/.exec(text ?? '');
  if (!match) throw new Error(`no link in the mail: ${text}`);
  return match[0];
}

/**
 * A new person's path, with no manual step: register, open the link of the verification mail
 * (a plain GET, as a mail client's browser does), then log in.
 */
export async function signUp(api: ApiClient, smtp: SmtpFake): Promise<SignedUp> {
  const name = `u${randomBytes(5).toString('hex')}`;
  const email = `${name}@example.test`;
  const password = `Pw-${randomBytes(12).toString('base64url')}`;
  expectStatus(await api.post('auth/register', { email, username: name, password }), 201, 'register');
  const mail = await smtp.waitForMail((m) => m.to.includes(email), 15_000);
  const page = await fetch(linkIn(mail.text));
  if (page.status !== 200) throw new Error(`verification link answered ${page.status}: ${await page.text()}`);
  return { email, password, ...(await logIn(api, email, password)) };
}

export async function logIn(api: ApiClient, login: string, password: string) {
  const body = expectStatus(await api.post('auth/login', { login, password }), 200, `login ${login}`);
  return { client: api.as(body.accessToken), user: body.user };
}

/** A small solid-colour PNG, a different colour per seed (enough for uploads and edits). */
export function samplePng(seed = 1, width = 48, height = 32): Promise<Buffer> {
  const channel = (n: number) => (seed * n) % 256;
  return sharp({
    create: { width, height, channels: 3, background: { r: channel(67), g: channel(131), b: channel(197) } },
  })
    .png()
    .toBuffer();
}
