import { containsPatterns, normaliseTags, searchTextOf } from './tags';

describe('normaliseTags', () => {
  it.each([
    [undefined, []],
    [['  Sea ', 'sea', 'SEA'], ['sea']],
    [['Night  Sky', 'night sky'], ['night sky']],
    [['', '   ', 'Cat'], ['cat']],
  ])('%j → %j', (input, expected) => {
    expect(normaliseTags(input)).toEqual(expected);
  });
});

describe('containsPatterns', () => {
  it.each([
    [undefined, []],
    ['  Lighthouse   Keeper ', ['%lighthouse%', '%keeper%']],
    ['100%', ['%100\\%%']],
    ['snake_case', ['%snake\\_case%']],
    ['back\\slash', ['%back\\\\slash%']],
  ])('%j → %j', (query, expected) => {
    expect(containsPatterns(query)).toEqual(expected);
  });

  it('caps the number of words', () => {
    expect(containsPatterns('a b c d e f g h i j')).toHaveLength(8);
  });
});

describe('searchTextOf', () => {
  it('joins title, prompt and tags lower-cased', () => {
    expect(searchTextOf({ title: 'Harbour', prompt: 'Boats at Dawn', tags: ['sea'] })).toBe(
      'harbour boats at dawn sea',
    );
    expect(searchTextOf({ title: null, prompt: null })).toBe('');
  });
});
