import type { ApiClient } from './api-client';

/**
 * `POST /images` with a browser-style multipart body built by `FormData`. `filePosition` puts the
 * file part before or after the text fields: clients differ, and both must work.
 */
export function uploadImage(
  client: ApiClient,
  bytes: Buffer,
  fields: Record<string, string | string[]> = {},
  filePosition: 'first' | 'last' = 'first',
) {
  const form = new FormData();
  const file = () =>
    form.append('file', new Blob([new Uint8Array(bytes)], { type: 'image/png' }), 'photo.png');
  if (filePosition === 'first') file();
  for (const [name, value] of Object.entries(fields)) {
    for (const item of Array.isArray(value) ? value : [value]) form.append(name, item);
  }
  if (filePosition === 'last') file();
  return client.request('POST', 'images', { form });
}
