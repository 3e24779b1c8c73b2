/** Query parameters that carry credentials (email links, signed URLs, SSE access tokens). */
const SECRET_QUERY = /([?&](?:token|access_token|signature|sig)=)[^&]+/gi;

/** The URL as it may be logged: secret query values replaced by `[redacted]`. */
export function redactUrl(url: string | undefined): string | undefined {
  return url?.replace(SECRET_QUERY, '$1[redacted]');
}
