/**
 * A parsed JSON body. Tests assert on its shape, as they do on supertest's `body` (also `any`).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

/** One answer of the API as a client sees it: status, headers, raw text and parsed body. */
export interface ApiResponse<T = Json> {
  status: number;
  headers: Headers;
  text: string;
  body: T;
}

export interface RequestOptions {
  json?: unknown;
  form?: FormData | URLSearchParams;
  headers?: Record<string, string>;
  /** `manual` to see a redirect instead of following it. */
  redirect?: 'follow' | 'manual' | 'error';
}

/** Sees every answer (the release stage checks each against the served OpenAPI document). */
export type ResponseObserver = (
  method: string,
  url: string,
  status: number,
  contentType: string,
  text: string,
) => void;

/**
 * The API over real HTTP with Node's own `fetch`, as any client would call it: no supertest, no
 * `inject`. `as(token)` returns a client that sends that bearer token.
 */
export class ApiClient {
  constructor(
    readonly baseUrl: string,
    readonly token?: string,
    private readonly observe?: ResponseObserver,
  ) {}

  as(token: string): ApiClient {
    return new ApiClient(this.baseUrl, token, this.observe);
  }

  /** Absolute URL of a path (`/api/v1/…`, or a path relative to `/api/v1` without the slash). */
  urlOf(path: string): string {
    return new URL(path.startsWith('/') ? path : `/api/v1/${path}`, this.baseUrl).toString();
  }

  async request<T = Json>(
    method: string,
    path: string,
    options: RequestOptions = {},
  ): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { ...options.headers };
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    let body: FormData | URLSearchParams | string | undefined = options.form;
    if (options.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.json);
    }
    const url = this.urlOf(path);
    const res = await fetch(url, { method, headers, body, redirect: options.redirect });
    const text = await res.text();
    this.observe?.(method, url, res.status, res.headers.get('content-type') ?? '', text);
    const json = /json/.test(res.headers.get('content-type') ?? '') && text ? JSON.parse(text) : text;
    return { status: res.status, headers: res.headers, text, body: json as T };
  }

  get<T = Json>(path: string, options?: RequestOptions) {
    return this.request<T>('GET', path, options);
  }

  post<T = Json>(path: string, json?: unknown, options: RequestOptions = {}) {
    return this.request<T>('POST', path, { ...options, json });
  }

  put<T = Json>(path: string, json?: unknown) {
    return this.request<T>('PUT', path, { json });
  }

  patch<T = Json>(path: string, json?: unknown) {
    return this.request<T>('PATCH', path, { json });
  }

  delete<T = Json>(path: string) {
    return this.request<T>('DELETE', path);
  }
}

/** Throws with the answer when the status is not the expected one; returns the body otherwise. */
export function expectStatus<T>(res: ApiResponse<T>, status: number, what: string): T {
  if (res.status !== status) throw new Error(`${what}: expected ${status}, got ${res.status} ${res.text}`);
  return res.body;
}
