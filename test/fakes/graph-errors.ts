import { randomBytes } from 'node:crypto';

/*
 * Graph API error bodies (developers.facebook.com/docs/graph-api/guides/error-handling):
 * `{error:{message, type:"OAuthException", code, error_subcode, is_transient, fbtrace_id}}`.
 * OAuthException errors come back as HTTP 400 and transient codes 1/2 as 5xx; throttling
 * (4, 17, 32, 613) also reports `x-app-usage` at 100 %.
 */

export interface GraphFailure {
  code: number;
  /** HTTP status (default 500 for codes 1 and 2, else 400). */
  status?: number;
  subcode?: number;
  message?: string;
  /** Only fail a request whose path (after the version) matches. */
  path?: string | RegExp;
}

const MESSAGES: Record<number, string> = {
  1: 'An unknown error occurred',
  2: 'Service temporarily unavailable',
  4: '(#4) Application request limit reached',
  17: '(#17) User request limit reached',
  32: '(#32) Page request limit reached',
  100: '(#100) Invalid parameter',
  190: 'Error validating access token: Session has expired.',
  613: '(#613) Calls to this api have exceeded the rate limit.',
};
const THROTTLING = new Set([4, 17, 32, 613]);

export function graphError(failure: GraphFailure): {
  status: number;
  body: object;
  headers: Record<string, string>;
} {
  const transient = [1, 2].includes(failure.code);
  const usage = THROTTLING.has(failure.code) ? 100 : 1;
  return {
    status: failure.status ?? (transient ? 500 : 400),
    body: {
      error: {
        message: failure.message ?? MESSAGES[failure.code] ?? `(#${failure.code}) Fake Graph error`,
        type: 'OAuthException',
        code: failure.code,
        ...(failure.subcode ? { error_subcode: failure.subcode } : {}),
        ...(THROTTLING.has(failure.code) || transient ? { is_transient: true } : {}),
        fbtrace_id: randomBytes(8).toString('base64url'),
      },
    },
    headers: {
      'x-app-usage': JSON.stringify({ call_count: usage, total_cputime: usage, total_time: usage }),
    },
  };
}
