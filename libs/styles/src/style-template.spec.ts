import { renderStyleTemplate, templateProblem } from './style-template';

describe('renderStyleTemplate', () => {
  it.each([
    ['{prompt}, anime style', 'a cat', 'Anime', 'a cat, anime style'],
    ['{style_name} rendition of {prompt}', 'a cat', 'Watercolor', 'Watercolor rendition of a cat'],
    ['{prompt} — {prompt}', 'x', 'S', 'x — x'],
    // The user's words are inserted literally: no second expansion, no `$` replacement patterns.
    ['{prompt} in {style_name}', 'a {style_name} sign', 'Pixel', 'a {style_name} sign in Pixel'],
    ['{prompt} in {style_name}', 'a {prompt} loop', 'Pixel', 'a {prompt} loop in Pixel'],
    ['{prompt}!', "costs $& and $1 and $'", 'S', "costs $& and $1 and $'!"],
    // Unknown braces are left alone.
    ['{prompt} {unknown}', 'a', 'S', 'a {unknown}'],
    // Legacy data without {prompt}: the user's words are appended, never dropped.
    ['oil painting', 'a boat', 'Oil', 'oil painting a boat'],
  ])('%j with prompt %j and style %j gives %j', (template, prompt, styleName, expected) => {
    expect(renderStyleTemplate(template, { prompt, styleName })).toBe(expected);
  });
});

describe('templateProblem', () => {
  it('accepts templates with {prompt} and optional {style_name}', () => {
    expect(templateProblem('{prompt}, in {style_name} style')).toBeUndefined();
    expect(templateProblem('{prompt}')).toBeUndefined();
  });

  it('requires {prompt}', () => {
    expect(templateProblem('{style_name} only')).toMatch(/\{prompt\}/);
  });

  it('names unknown placeholders', () => {
    expect(templateProblem('{prompt} {colour}')).toMatch(/\{colour\}/);
  });
});
