import { classifyHttpFailure, type ErrorDialect, type ExternalServiceError } from '@atelier/core';
import { graphErrorDialect } from './graph-api';
import { linkedInErrorDialect } from './linkedin.publisher';
import { mastodonErrorDialect } from './mastodon.publisher';
import { xErrorDialect } from './x.publisher';

const NOW = Date.parse('2026-01-10T12:00:00Z');

type Case = [
  name: string,
  answer: { status: number; body: unknown; headers?: Record<string, string> },
  expected: Partial<ExternalServiceError>,
];

/** Each platform's documented error bodies (providers.md "Platform error bodies") and their class. */
const platforms: Array<[string, ErrorDialect, Case[]]> = [
  [
    'x',
    xErrorDialect,
    [
      [
        'duplicate text (403) is a rejection with its own code',
        {
          status: 403,
          body: {
            detail: 'You are not allowed to create a Tweet with duplicate content.',
            type: 'about:blank',
            title: 'Forbidden',
            status: 403,
          },
        },
        { kind: 'rejected', code: 'duplicate_content' },
      ],
      [
        'a 403 naming a forbidden client is configuration, not the token',
        {
          status: 403,
          body: {
            title: 'Client Forbidden',
            detail: 'This request must be made using an approved developer account.',
            type: 'https://api.twitter.com/2/problems/client-forbidden',
            reason: 'client-not-enrolled',
          },
        },
        { kind: 'rejected', code: 'permission_denied' },
      ],
      [
        'a policy 403 is a rejection',
        {
          status: 403,
          body: { title: 'Forbidden', detail: 'You are not permitted to perform this action.', status: 403 },
        },
        { kind: 'rejected', code: 'permission_denied' },
      ],
      [
        'a bad or expired token (401) is auth',
        {
          status: 401,
          body: { title: 'Unauthorized', type: 'about:blank', status: 401, detail: 'Unauthorized' },
        },
        { kind: 'auth', code: 'token_expired' },
      ],
      [
        '429 waits until x-rate-limit-reset',
        {
          status: 429,
          body: { title: 'Too Many Requests', detail: 'Too Many Requests', type: 'about:blank', status: 429 },
          headers: { 'x-rate-limit-reset': String(NOW / 1000 + 120) },
        },
        { kind: 'retryable', retryAfterMs: 120_000 },
      ],
    ],
  ],
  [
    'instagram',
    graphErrorDialect,
    [
      ...[458, 460, 463, 467].map((subcode): Case => [
        `190 with subcode ${subcode} is the token`,
        { status: 400, body: graph(190, 'Error validating access token', subcode) },
        {
          kind: 'auth',
          code: 'token_expired',
          details: expect.objectContaining({ providerSubcode: subcode }),
        },
      ]),
      ...[4, 17, 32, 613, 80001, 80004, 80009].map((code): Case => [
        `${code} is a rate limit`,
        { status: 400, body: graph(code, `(#${code}) request limit reached`) },
        { kind: 'retryable', code: 'rate_limited' },
      ]),
      [
        '2 (service unavailable) is transient',
        { status: 503, body: graph(2, 'Service temporarily unavailable') },
        { kind: 'retryable', code: 'provider_unavailable' },
      ],
      [
        '368 is a policy block',
        {
          status: 400,
          body: graph(368, 'The action attempted has been deemed abusive or is otherwise disallowed'),
        },
        { kind: 'rejected', code: 'content_policy' },
      ],
      [
        '100 is an invalid parameter',
        { status: 400, body: graph(100, '(#100) Invalid parameter') },
        { kind: 'rejected', code: 'provider_rejected' },
      ],
      ...[10, 200, 299].map((code): Case => [
        `${code} is a missing permission, even on HTTP 403`,
        { status: 403, body: graph(code, `(#${code}) Requires permission`) },
        { kind: 'rejected', code: 'permission_denied' },
      ]),
    ],
  ],
  [
    'mastodon',
    mastodonErrorDialect,
    [
      [
        '401 invalid token is auth',
        { status: 401, body: { error: 'The access token is invalid' } },
        { kind: 'auth', code: 'token_expired' },
      ],
      [
        '403 outside the scopes needs a reconnect',
        { status: 403, body: { error: 'This action is outside the authorized scopes' } },
        { kind: 'auth' },
      ],
      [
        '403 otherwise is a refusal',
        { status: 403, body: { error: 'This action is not allowed' } },
        { kind: 'rejected', code: 'permission_denied' },
      ],
      [
        '422 validation is a rejection',
        { status: 422, body: { error: "Validation failed: Text can't be blank" } },
        { kind: 'rejected', code: 'provider_rejected' },
      ],
      [
        '429 waits until the ISO X-RateLimit-Reset',
        {
          status: 429,
          body: { error: 'Too many requests' },
          headers: { 'X-RateLimit-Reset': '2026-01-10T12:05:00.000Z', 'X-RateLimit-Remaining': '0' },
        },
        { kind: 'retryable', code: 'rate_limited', retryAfterMs: 300_000 },
      ],
    ],
  ],
  [
    'linkedin',
    linkedInErrorDialect,
    [
      [
        '401 serviceErrorCode 65600 is auth',
        {
          status: 401,
          body: {
            status: 401,
            serviceErrorCode: 65600,
            code: 'INVALID_ACCESS_TOKEN',
            message: 'Invalid access token',
          },
        },
        { kind: 'auth', code: 'token_expired' },
      ],
      [
        '422 duplicate names the existing share',
        {
          status: 422,
          body: { status: 422, message: 'Content is a duplicate of urn:li:share:7012345678901234567' },
        },
        { kind: 'rejected', code: 'duplicate_content' },
      ],
      [
        '403 missing permission is a refusal',
        {
          status: 403,
          body: {
            status: 403,
            serviceErrorCode: 100,
            message: 'Not enough permissions to access: POST /posts',
          },
        },
        { kind: 'rejected', code: 'permission_denied' },
      ],
      [
        '429 is a rate limit',
        { status: 429, body: { status: 429, message: 'Resource level throttle limit reached' } },
        { kind: 'retryable', code: 'rate_limited' },
      ],
    ],
  ],
];

describe.each(platforms)('%s error dialect', (service, dialect, cases) => {
  it.each(cases)('%s', (_, answer, expected) => {
    const error = classifyHttpFailure(
      {
        service,
        status: answer.status,
        body: JSON.stringify(answer.body),
        headers: answer.headers,
        now: NOW,
      },
      dialect,
    );
    expect(error).toMatchObject(expected);
    if ('retryAfterMs' in expected) expect(error.retryAfterMs).toBe(expected.retryAfterMs);
  });
});

function graph(code: number, message: string, subcode?: number) {
  return {
    error: {
      message,
      type: 'OAuthException',
      code,
      ...(subcode ? { error_subcode: subcode } : {}),
      fbtrace_id: 'AZx1y2',
    },
  };
}
