import { DateTime } from 'luxon';
import { type CaptionPlatform, checkCaption } from '../posts/caption-limits';

export interface CaptionValues {
  title?: string | null;
  prompt?: string | null;
  /** The run time, shown as a local date (yyyy-MM-dd) in `timeZone`. */
  date: Date;
  timeZone: string;
}

const PLACEHOLDER = /\{(title|prompt|date)\}/g;
const ELLIPSIS = '…';

/** Fills `{title}`, `{prompt}` and `{date}`; other braces are left as written. */
export function renderCaptionTemplate(template: string, values: CaptionValues): string {
  const date = DateTime.fromJSDate(values.date, { zone: values.timeZone }).toFormat('yyyy-MM-dd');
  const text = template.replace(PLACEHOLDER, (_, name: string) =>
    name === 'date' ? date : ((name === 'title' ? values.title : values.prompt) ?? '').trim(),
  );
  return text.replace(/[ \t]{2,}/g, ' ').trim();
}

/**
 * The longest prefix of `caption` (cut at a character, ending with '…') that fits `platform` with
 * `hashtags`. A schedule's caption comes from image titles and prompts of any length, so a run
 * shortens it rather than failing; hashtags are kept whole. Returns null when even an empty
 * caption does not fit (the hashtags alone are too long or too many).
 */
export function fitCaption(
  platform: CaptionPlatform,
  caption: string,
  hashtags: readonly string[],
): string | null {
  if (checkCaption(platform, caption, hashtags).length === 0) return caption;
  if (checkCaption(platform, '', hashtags).length > 0) return null;
  const chars = [...caption];
  let lo = 0;
  let hi = chars.length - 1;
  // Binary search on the number of characters kept: fitting is monotonic in the prefix length.
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (checkCaption(platform, shorten(chars, mid), hashtags).length === 0) lo = mid;
    else hi = mid - 1;
  }
  return lo === 0 ? '' : shorten(chars, lo);
}

function shorten(chars: string[], keep: number): string {
  return chars.slice(0, keep).join('').trimEnd() + ELLIPSIS;
}
