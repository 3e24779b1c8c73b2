/** Placeholders a style's prompt template may contain. */
export const TEMPLATE_PLACEHOLDERS = ['prompt', 'style_name'] as const;

const PLACEHOLDER = /\{(prompt|style_name)\}/g;
const ANY_PLACEHOLDER = /\{([a-z_][a-z0-9_]*)\}/gi;

/**
 * Wraps the user's prompt in a style's template. Every placeholder is replaced in one pass, so text
 * the user typed (say `{style_name}` or `$&`) is inserted literally and never expanded in turn.
 * A template without `{prompt}` (only possible for data written outside the API) still carries the
 * user's words, appended, rather than silently dropping them.
 */
export function renderStyleTemplate(template: string, values: { prompt: string; styleName: string }): string {
  let sawPrompt = false;
  const rendered = template.replace(PLACEHOLDER, (_match, name: string) => {
    if (name === 'prompt') {
      sawPrompt = true;
      return values.prompt;
    }
    return values.styleName;
  });
  return sawPrompt ? rendered : `${rendered.trimEnd()} ${values.prompt}`.trim();
}

/** Why a template is unusable, or undefined when it is fine (the admin API answers 400 with it). */
export function templateProblem(template: string): string | undefined {
  if (!template.includes('{prompt}')) return 'must contain the {prompt} placeholder';
  const unknown = [...template.matchAll(ANY_PLACEHOLDER)]
    .map((m) => m[1])
    .filter((name) => !(TEMPLATE_PLACEHOLDERS as readonly string[]).includes(name));
  if (unknown.length) {
    return `has unknown placeholders ${unknown.map((n) => `{${n}}`).join(', ')}; allowed: {prompt}, {style_name}`;
  }
  return undefined;
}
