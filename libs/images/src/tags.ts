/** Tags are compared normalised: trimmed, inner whitespace collapsed, lower-cased, deduplicated. */
export function normaliseTags(tags: readonly string[] | undefined): string[] {
  const seen = new Set<string>();
  for (const raw of tags ?? []) {
    const tag = raw.trim().replace(/\s+/g, ' ').toLowerCase();
    if (tag) seen.add(tag);
  }
  return [...seen];
}

/** The text gallery and library search match (`search_text ILIKE '%word%'`). */
export function searchTextOf(parts: {
  title?: string | null;
  prompt?: string | null;
  tags?: readonly string[];
}): string {
  return [parts.title ?? '', parts.prompt ?? '', ...(parts.tags ?? [])].join(' ').toLowerCase().trim();
}

/** `ILIKE` patterns that match each word of a query literally (`%` and `_` escaped). */
export function containsPatterns(query: string | undefined): string[] {
  return (query ?? '')
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 8)
    .map((word) => `%${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
}
