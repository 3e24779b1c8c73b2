import type { ProviderCapabilities } from '../providers/image-provider';
import { layerParams, normaliseParams, styleParamsFor, type RequestedJob } from './job-params';

const fixed: ProviderCapabilities = {
  types: new Set(['generate', 'edit']),
  sizes: { kind: 'fixed', sizes: ['1024x1024', '1536x1024'] },
  maxN: 4,
  streaming: true,
  negativePrompt: false,
  models: ['m1'],
  defaultModel: 'm1',
};
const range: ProviderCapabilities = {
  ...fixed,
  types: new Set(['generate']),
  sizes: { kind: 'range', min: 256, max: 2048, multipleOf: 8 },
  negativePrompt: true,
};
const job = (over: Partial<RequestedJob> = {}): RequestedJob => ({
  type: 'generate',
  prompt: 'a lighthouse',
  model: 'm1',
  params: {},
  ...over,
});
const fields = (j: RequestedJob, caps = fixed, maxSide = 2048) =>
  normaliseParams(j, caps, maxSide).errors.map((e) => e.field);

describe('normaliseParams', () => {
  it('fills defaults: first fixed size, n 1, png and a seed kept for retries', () => {
    const { params, errors } = normaliseParams(job(), fixed, 2048);
    expect(errors).toEqual([]);
    expect(params).toMatchObject({ width: 1024, height: 1024, n: 1, outputFormat: 'png' });
    expect(Number.isInteger(params.seed)).toBe(true);
  });

  it('parses size and keeps optional parameters', () => {
    const { params } = normaliseParams(
      job({ params: { size: '1536x1024', quality: 'high', seed: 7 } }),
      fixed,
      2048,
    );
    expect(params).toMatchObject({ width: 1536, height: 1024, quality: 'high', seed: 7 });
  });

  it.each<[string, Partial<RequestedJob>, ProviderCapabilities, string[]]>([
    ['an unsupported fixed size', { params: { size: '512x512' } }, fixed, ['params.size']],
    ['a malformed size', { params: { size: 'big' } }, fixed, ['params.size']],
    ['a side off the multiple', { params: { width: 1001, height: 1024 } }, range, ['params.size']],
    ['width without height', { params: { width: 512 } }, range, ['params.width']],
    ['too many images', { params: { n: 5 } }, fixed, ['params.n']],
    ['a type the provider lacks', { type: 'style_transfer', sourceImageId: 'x' }, fixed, ['type']],
    ['an unknown model', { model: 'other' }, fixed, ['model']],
    ['a negative prompt it ignores', { negativePrompt: 'blur' }, fixed, ['negativePrompt']],
    ['an empty prompt', { prompt: '  ' }, fixed, ['prompt']],
    ['an edit without source', { type: 'edit' }, fixed, ['sourceImageId']],
    ['a mask outside edits', { maskImageId: 'm' }, fixed, ['maskImageId']],
  ])('rejects %s', (_name, over, caps, expected) => {
    expect(fields(job(over), caps)).toEqual(expected);
  });

  it("applies the plan's largest side", () => {
    expect(fields(job({ params: { size: '1536x1024' } }), fixed, 1024)).toEqual(['params.size']);
  });

  it('defaults a range provider to 1024 square, capped by its maximum', () => {
    const small = { ...range, sizes: { kind: 'range' as const, min: 64, max: 512, multipleOf: 1 } };
    expect(normaliseParams(job(), small, 4096).params).toMatchObject({ width: 512, height: 512 });
  });
});

describe('layerParams', () => {
  it('lets later layers win, ignoring undefined values', () => {
    expect(
      layerParams(
        { size: '1536x1024', quality: 'high', background: 'opaque' },
        { quality: 'medium' },
        { quality: undefined, n: 2 },
      ),
    ).toEqual({ size: '1536x1024', quality: 'medium', background: 'opaque', n: 2 });
  });

  it("replaces an earlier size with the user's width and height", () => {
    expect(layerParams({ size: '1536x1024' }, { width: 512, height: 512 })).toEqual({
      width: 512,
      height: 512,
    });
  });
});

describe('styleParamsFor', () => {
  const style = { size: '1536x1024', quality: 'high', outputFormat: 'webp' };
  const generate = { type: 'generate' as const, model: 'm1' };

  it('keeps a size the provider, the model and the plan accept', () => {
    expect(styleParamsFor(style, generate, { capabilities: fixed }, 2048)).toEqual(style);
  });

  it.each<[string, ProviderCapabilities, number, (() => { field: string; message: string }[]) | undefined]>([
    [
      'a size the provider does not offer',
      { ...fixed, sizes: { kind: 'fixed', sizes: ['512x512'] } },
      2048,
      undefined,
    ],
    ["a side beyond the plan's limit", fixed, 1024, undefined],
    ['a size the model refuses', fixed, 2048, () => [{ field: 'params.size', message: 'no' }]],
  ])('drops %s, keeping the rest', (_, capabilities, maxSide, check) => {
    expect(styleParamsFor(style, generate, { capabilities, check }, maxSide)).toEqual({
      quality: 'high',
      outputFormat: 'webp',
    });
  });
});
