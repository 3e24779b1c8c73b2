import createClient, { type Client, type Middleware } from 'openapi-fetch';
import type { paths } from './openapi';

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
}

/** Where the client keeps its tokens (memory by default; a web app may persist them). */
export interface TokenStore {
  get(): TokenPair | undefined;
  set(tokens: TokenPair | undefined): void;
}

export function memoryTokenStore(initial?: TokenPair): TokenStore {
  let tokens = initial;
  return { get: () => tokens, set: (next) => (tokens = next) };
}

export interface AtelierClientOptions {
  /** The server's origin, e.g. `https://atelier.example`; paths in the document carry /api/v1. */
  baseUrl: string;
  tokens?: TokenStore;
  fetch?: typeof globalThis.fetch;
}

export type AtelierClient = Client<paths> & { tokens: TokenStore };

const REFRESH_PATH = '/api/v1/auth/refresh';

/**
 * An openapi-fetch client for the Atelier API. It sends the stored access token and, when an
 * answer is 401, spends the refresh token once for a new pair and retries the request; if the
 * refresh is refused the tokens are cleared and the 401 stands.
 */
export function createAtelierClient(options: AtelierClientOptions): AtelierClient {
  const tokens = options.tokens ?? memoryTokenStore();
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const client = createClient<paths>({ baseUrl: options.baseUrl, fetch: fetchImpl });
  client.use(tokenRefresh(options.baseUrl, tokens, fetchImpl));
  return Object.assign(client, { tokens });
}

function tokenRefresh(baseUrl: string, tokens: TokenStore, fetchImpl: typeof fetch): Middleware {
  // The body of a sent request is consumed; a retry needs the copy taken before sending.
  const unsent = new Map<string, Request>();
  let refreshing: Promise<boolean> | undefined;

  const refresh = async (): Promise<boolean> => {
    const refreshToken = tokens.get()?.refreshToken;
    if (!refreshToken) return false;
    const response = await fetchImpl(new URL(REFRESH_PATH, baseUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ refreshToken }),
    });
    if (!response.ok) {
      tokens.set(undefined);
      return false;
    }
    const pair: unknown = await response.json();
    if (!isTokenPair(pair)) return false;
    tokens.set({ accessToken: pair.accessToken, refreshToken: pair.refreshToken });
    return true;
  };

  return {
    onRequest({ request, id, schemaPath }) {
      const accessToken = tokens.get()?.accessToken;
      if (accessToken && !request.headers.has('authorization')) {
        request.headers.set('authorization', `Bearer ${accessToken}`);
      }
      if (schemaPath !== REFRESH_PATH) unsent.set(id, request.clone());
      return request;
    },
    async onResponse({ response, id }) {
      const original = unsent.get(id);
      unsent.delete(id);
      if (response.status !== 401 || !original || !tokens.get()?.refreshToken) return response;
      // Parallel 401s share one refresh: a refresh token is single-use.
      refreshing ??= refresh().finally(() => (refreshing = undefined));
      if (!(await refreshing)) return response;
      const retry = new Request(original);
      retry.headers.set('authorization', `Bearer ${tokens.get()?.accessToken ?? ''}`);
      return fetchImpl(retry);
    },
  };
}

function isTokenPair(value: unknown): value is TokenPair {
  return (
    typeof value === 'object' &&
    value !== null &&
    'accessToken' in value &&
    typeof value.accessToken === 'string' &&
    'refreshToken' in value &&
    typeof value.refreshToken === 'string'
  );
}
