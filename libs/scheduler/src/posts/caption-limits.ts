import type { FieldError } from '@atelier/core';
import { PLATFORM_DESCRIPTORS, type SocialPlatform } from '../publishers/platform-descriptors';

/**
 * What each platform accepts as post text (declared by the platform: `captions` in its
 * descriptor). `composeCaption` builds the text that is actually sent (caption, blank line,
 * hashtags), and `checkCaption` measures that text the way the platform does.
 */

export type CaptionPlatform = SocialPlatform;

export interface CaptionLimit {
  maxLength: number;
  /** Instagram refuses captions with more hashtags than this. */
  maxHashtags?: number;
  /** How the platform counts: plain characters, characters with URLs at 23, or X's weighted count. */
  counting: 'characters' | 'urls-as-23' | 'x-weighted';
}

export const CAPTION_LIMITS = Object.fromEntries(
  PLATFORM_DESCRIPTORS.map((platform) => [platform.name, platform.captions]),
) as Readonly<Record<CaptionPlatform, CaptionLimit>>;

export const MAX_HASHTAG_LENGTH = 100;
const HASHTAG_BODY = /^[\p{L}\p{M}\p{N}_]+$/u;
// A '#' not glued to a preceding word, URL path or entity ('a#b', '/#x', '&#39;'), followed by a tag.
const HASHTAG_IN_TEXT = /(?<![\p{L}\p{M}\p{N}_&/#])#([\p{L}\p{M}\p{N}_]*[\p{L}\p{M}_][\p{L}\p{M}\p{N}_]*)/gu;
const URL_IN_TEXT = /\b(?:https?:\/\/|www\.)[^\s<>"]+/giu;
const URL_TRAILING_PUNCTUATION = /[.,!?:;'")\]]+$/u;
const URL_WEIGHT = 23;
const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });
const EMOJI = /\p{Emoji_Presentation}|\p{Extended_Pictographic}\uFE0F|\p{Regional_Indicator}|\u20E3/u;

export class InvalidHashtagError extends Error {
  constructor(readonly errors: FieldError[]) {
    super(errors.map((e) => `${e.field}: ${e.message}`).join('; '));
    this.name = 'InvalidHashtagError';
  }
}

/**
 * Hashtags as the user typed them → bare tags: trimmed, leading '#' removed, duplicates dropped
 * case-insensitively (first spelling kept). A tag must be letters, marks, digits or '_', not only
 * digits (platforms do not link '#2024'), and at most MAX_HASHTAG_LENGTH characters.
 */
export function normalizeHashtags(hashtags: readonly string[]): { tags: string[]; errors: FieldError[] } {
  const tags: string[] = [];
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  for (const [index, raw] of hashtags.entries()) {
    const field = `hashtags.${index}`;
    const tag = typeof raw === 'string' ? raw.trim().replace(/^#+/, '').normalize('NFC') : '';
    const problem = hashtagProblem(raw, tag);
    if (problem) {
      errors.push({ field, message: problem });
      continue;
    }
    const key = tag.toLowerCase();
    if (!seen.has(key)) {
      seen.add(key);
      tags.push(tag);
    }
  }
  return { tags, errors };
}

/**
 * The post text: the trimmed caption, a blank line, then `#tag`s separated by spaces. Tags already
 * written in the caption are not repeated. Throws InvalidHashtagError for an invalid tag.
 */
export function composeCaption(caption: string, hashtags: readonly string[] = []): string {
  const { tags, errors } = normalizeHashtags(hashtags);
  if (errors.length > 0) throw new InvalidHashtagError(errors);
  const text = (caption ?? '').trim();
  const inCaption = new Set(hashtagsIn(text).map((t) => t.toLowerCase()));
  const extra = tags.filter((t) => !inCaption.has(t.toLowerCase())).map((t) => `#${t}`);
  if (extra.length === 0) return text;
  return text ? `${text}\n\n${extra.join(' ')}` : extra.join(' ');
}

/** Field errors for this caption and these hashtags on `platform`; empty when the post text fits. */
export function checkCaption(
  platform: CaptionPlatform,
  caption: string,
  hashtags: readonly string[] = [],
): FieldError[] {
  const limit = CAPTION_LIMITS[platform];
  const { errors } = normalizeHashtags(hashtags);
  if (errors.length > 0) return errors;
  const text = composeCaption(caption, hashtags);
  const found: FieldError[] = [];
  const length = captionLength(platform, text);
  if (length > limit.maxLength) {
    const unit = limit.counting === 'characters' ? 'characters' : `characters as ${platform} counts them`;
    found.push({
      field: 'caption',
      message: `caption with hashtags is ${length} ${unit}; ${platform} allows at most ${limit.maxLength}`,
    });
  }
  if (limit.maxHashtags !== undefined) {
    const count = hashtagsIn(text).length;
    if (count > limit.maxHashtags) {
      found.push({
        field: 'hashtags',
        message: `${count} hashtags; ${platform} allows at most ${limit.maxHashtags}`,
      });
    }
  }
  return found;
}

/** Length of `text` as `platform` counts it (see CAPTION_LIMITS[platform].counting). */
export function captionLength(platform: CaptionPlatform, text: string): number {
  switch (CAPTION_LIMITS[platform].counting) {
    case 'characters':
      return [...text].length;
    case 'urls-as-23':
      return countWithUrls(text, (rest) => [...rest].length);
    case 'x-weighted':
      return xWeightedLength(text);
  }
}

/**
 * X's count (twitter-text v3 rules, simplified): text is NFC-normalised; each URL counts 23;
 * each emoji (a whole sequence, flags and ZWJ families included) counts 2; other characters count 1
 * when their code point is in U+0000–U+10FF, U+2000–U+200D, U+2010–U+201F or U+2032–U+2037 (Latin,
 * Greek, Cyrillic, Arabic, Hebrew, Indic… and common punctuation) and 2 otherwise (CJK, most symbols).
 * Simplification: only URLs starting with http(s):// or www. are recognised, not bare domains.
 */
export function xWeightedLength(text: string): number {
  return countWithUrls(text.normalize('NFC'), (rest) => {
    let total = 0;
    for (const { segment } of graphemes.segment(rest)) {
      if (EMOJI.test(segment)) {
        total += 2;
        continue;
      }
      for (const char of segment) total += isLightCodePoint(char.codePointAt(0)!) ? 1 : 2;
    }
    return total;
  });
}

function isLightCodePoint(cp: number): boolean {
  return (
    cp <= 0x10ff ||
    (cp >= 0x2000 && cp <= 0x200d) ||
    (cp >= 0x2010 && cp <= 0x201f) ||
    (cp >= 0x2032 && cp <= 0x2037)
  );
}

/** Counts each URL as 23 and the text around URLs with `count`. */
function countWithUrls(text: string, count: (rest: string) => number): number {
  let total = 0;
  let rest = '';
  let last = 0;
  for (const match of text.matchAll(URL_IN_TEXT)) {
    // Trailing punctuation ends a sentence, not the URL, and is counted as text.
    const url = match[0].replace(URL_TRAILING_PUNCTUATION, '');
    rest += text.slice(last, match.index);
    total += URL_WEIGHT;
    last = match.index + url.length;
  }
  rest += text.slice(last);
  return total + count(rest);
}

function hashtagProblem(raw: string, tag: string): string | null {
  if (!tag) return 'must not be empty';
  if (!HASHTAG_BODY.test(tag)) return `"${raw}" may contain only letters, digits and underscores`;
  if (/^\p{N}+$/u.test(tag)) return `"${raw}" must contain a letter`;
  if ([...tag].length > MAX_HASHTAG_LENGTH) return `must be at most ${MAX_HASHTAG_LENGTH} characters`;
  return null;
}

function hashtagsIn(text: string): string[] {
  return [...text.matchAll(HASHTAG_IN_TEXT)].map((m) => m[1]);
}
