/**
 * Specs read fake answers as loosely typed JSON: the repo's tsconfig has no DOM lib, so
 * `Response.json()` is `Promise<unknown>` and every assertion would need a cast.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type LooseJson = any;

export async function readJson(response: Response): Promise<LooseJson> {
  return response.json();
}
