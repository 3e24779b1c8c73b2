import {
  DEFAULT_RANDOM_INT_RANGE,
  ParamDefinition,
  resolveParams,
  STRING_PARAM_MAX_LENGTH,
  WorkflowParamsError,
} from './workflow-params';

const defs: ParamDefinition[] = [
  { name: 'seed', type: 'int', min: 0, max: 1000, randomize: true },
  { name: 'steps', type: 'int', default: 20, min: 1, max: 100 },
  { name: 'cfg', type: 'float', default: 7.5, min: 1, max: 30 },
  { name: 'sampler', type: 'enum', options: ['euler', 'dpmpp_2m'], default: 'euler' },
  { name: 'subject', type: 'string', required: true },
  { name: 'hires', type: 'bool', default: false },
  { name: 'source', type: 'image', required: false, default: 'blank.png' },
  { name: 'result', type: 'image', direction: 'output', nodeId: '9' },
];

function errorsOf(run: () => unknown): WorkflowParamsError['errors'] {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(WorkflowParamsError);
    return (error as WorkflowParamsError).errors;
  }
  throw new Error('expected a WorkflowParamsError');
}

describe('resolveParams', () => {
  it('applies defaults, keeps supplied values and draws randomized ones with the given generator', () => {
    const { values, drawn } = resolveParams(defs, { subject: 'a fox', steps: 30 }, () => 0.5);
    expect(values).toEqual({
      seed: 500,
      steps: 30,
      cfg: 7.5,
      sampler: 'euler',
      subject: 'a fox',
      hires: false,
      source: 'blank.png',
    });
    expect(drawn).toEqual({ seed: 500 });
  });

  it.each([
    [0, 0],
    [0.999999, 1000],
    [1, 1000],
  ])('draws integers uniformly within [min, max] (random() = %p → %p)', (r, expected) => {
    expect(resolveParams(defs, { subject: 'x' }, () => r).drawn.seed).toBe(expected);
  });

  it('draws every integer of a small range and nothing outside it', () => {
    const dice: ParamDefinition[] = [{ name: 'd', type: 'int', min: 1, max: 6, randomize: true }];
    let state = 12345;
    const lcg = () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const seen = new Set(Array.from({ length: 600 }, () => resolveParams(dice, {}, lcg).values.d));
    expect([...seen].sort()).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('uses the 32-bit seed range for a randomized int without bounds, and draws floats in range', () => {
    const open: ParamDefinition[] = [
      { name: 'seed', type: 'int', randomize: true },
      { name: 'strength', type: 'float', min: 0.25, max: 0.75, randomize: true },
    ];
    // 1 - 2^-53 is the largest value Math.random() can return.
    expect(resolveParams(open, {}, () => 1 - 2 ** -53).drawn).toEqual({
      seed: DEFAULT_RANDOM_INT_RANGE.max,
      strength: expect.closeTo(0.75, 5),
    });
    expect(resolveParams(open, {}, () => 0).drawn).toEqual({ seed: 0, strength: 0.25 });
  });

  it('does not draw a randomized parameter the user supplied', () => {
    const { values, drawn } = resolveParams(defs, { subject: 'x', seed: 7 }, () => {
      throw new Error('must not be called');
    });
    expect(values.seed).toBe(7);
    expect(drawn).toEqual({});
  });

  it('treats null as not supplied and accepts an integer for a float', () => {
    const { values } = resolveParams(defs, { subject: 'x', steps: null, cfg: 12 }, () => 0);
    expect(values.steps).toBe(20);
    expect(values.cfg).toBe(12);
  });

  it('caps text values at the length of a job prompt', () => {
    const subject = 'x'.repeat(STRING_PARAM_MAX_LENGTH);
    expect(resolveParams(defs, { subject }, () => 0).values.subject).toBe(subject);
    expect(errorsOf(() => resolveParams(defs, { subject: `${subject}x` }, () => 0))).toEqual([
      { field: 'params.subject', message: `must be at most ${STRING_PARAM_MAX_LENGTH} characters` },
    ]);
  });

  it('keeps hostile strings as they are', () => {
    const subject = '", "class_type": "Evil"} {{seed}}';
    expect(resolveParams(defs, { subject }, () => 0).values.subject).toBe(subject);
  });

  it('reports every problem at once, naming each parameter', () => {
    const errors = errorsOf(() =>
      resolveParams(defs, {
        seed: '5',
        steps: 2.5,
        cfg: '7',
        sampler: 'ddim',
        hires: 'true',
        source: '',
        colour: 'red',
        result: 'x',
      }),
    );
    expect(errors).toEqual(
      expect.arrayContaining([
        { field: 'params.seed', message: 'must be an integer (got a string)' },
        { field: 'params.steps', message: 'must be an integer (got 2.5)' },
        { field: 'params.cfg', message: 'must be a number (got a string)' },
        { field: 'params.sampler', message: 'must be one of: euler, dpmpp_2m' },
        { field: 'params.hires', message: 'must be true or false (got a string)' },
        { field: 'params.source', message: expect.stringMatching(/non-empty string/) },
        { field: 'params.subject', message: 'is required' },
        {
          field: 'params.colour',
          message: expect.stringMatching(/not a parameter of this workflow \(expected: seed, steps/),
        },
        { field: 'params.result', message: expect.stringMatching(/not a parameter/) },
      ]),
    );
    expect(errors).toHaveLength(9);
  });

  it.each([
    [{ steps: 0 }, 'params.steps', 'must be at least 1'],
    [{ steps: 101 }, 'params.steps', 'must be at most 100'],
    [{ cfg: 30.5 }, 'params.cfg', 'must be at most 30'],
    [{ seed: -1 }, 'params.seed', 'must be at least 0'],
    [{ seed: 2 ** 60 }, 'params.seed', 'must be an integer (got an integer beyond 2^53)'],
    [{ steps: [20] }, 'params.steps', 'must be an integer (got a list)'],
    [{ hires: 1 }, 'params.hires', 'must be true or false (got a number)'],
  ])('rejects %p', (extra, field, message) => {
    expect(errorsOf(() => resolveParams(defs, { subject: 'x', ...extra }))).toEqual([{ field, message }]);
  });

  it('rejects values that are not an object', () => {
    expect(errorsOf(() => resolveParams(defs, ['x'] as unknown as Record<string, unknown>))).toEqual([
      { field: 'params', message: 'must be an object of parameter values' },
    ]);
  });

  it('is not fooled by inherited property names', () => {
    const errors = errorsOf(() =>
      resolveParams([{ name: 'constructor', type: 'string', required: true }], {}),
    );
    expect(errors).toEqual([{ field: 'params.constructor', message: 'is required' }]);
  });
});
