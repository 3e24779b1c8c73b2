import helmet, { type HelmetOptions } from 'helmet';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** The security headers for a request that arrived over plain http and for one over https. */
export interface TransportSecurityHeaders {
  http: Record<string, string>;
  https: Record<string, string>;
}

/** The helmet options Atelier sets; the rest are helmet's defaults. */
export type SecurityHeaderOptions = Pick<HelmetOptions, 'crossOriginResourcePolicy'> & {
  contentSecurityPolicy: { directives: Record<string, null | Iterable<string>> };
};

/**
 * Helmet's headers for `options`, in two variants computed once. Over plain http (a LAN address,
 * a self-hosted box without TLS) neither `upgrade-insecure-requests` nor HSTS may be sent: the
 * first makes the browser fetch Swagger UI's scripts over an https that does not exist, the
 * second is ignored by browsers over http anyway (RFC 6797 §8.1) and only misleads.
 */
export function transportSecurityHeaders(options: SecurityHeaderOptions): TransportSecurityHeaders {
  const { directives } = options.contentSecurityPolicy;
  return {
    https: securityHeaders(options),
    http: securityHeaders({
      ...options,
      contentSecurityPolicy: { directives: { ...directives, upgradeInsecureRequests: null } },
      strictTransportSecurity: false,
    }),
  };
}

/**
 * The headers helmet sets for `options`, computed once. Without per-request CSP nonces they are
 * the same for every response, and @fastify/helmet rebuilds helmet (re-parsing the CSP
 * directives) on every request: a measurable share of a cheap route's cost.
 */
function securityHeaders(options: HelmetOptions): Record<string, string> {
  const headers: Record<string, string> = {};
  const capture = {
    setHeader: (name: string, value: string | number) => void (headers[name.toLowerCase()] = String(value)),
    removeHeader: (name: string) => void delete headers[name.toLowerCase()],
  };
  helmet(options)({} as IncomingMessage, capture as unknown as ServerResponse, (error?: unknown) => {
    if (error) throw error;
  });
  return headers;
}
