import { ParamDefinition, WorkflowDefinitionError, WorkflowParamsError } from './workflow-params';
import {
  checkDefinitions,
  compareNodeIds,
  fillGraph,
  findOutputNode,
  findPlaceholders,
  WorkflowGraph,
} from './workflow-template';

/** A standard SDXL text-to-image graph in ComfyUI API format, templated. */
function txt2img(): WorkflowGraph {
  return {
    '3': {
      class_type: 'KSampler',
      inputs: {
        seed: '{{seed}}',
        steps: '{{ steps }}',
        cfg: '{{cfg}}',
        sampler_name: '{{sampler}}',
        scheduler: 'normal',
        denoise: 1,
        model: ['4', 0],
        positive: ['6', 0],
        negative: ['7', 0],
        latent_image: ['5', 0],
      },
    },
    '4': { class_type: 'CheckpointLoaderSimple', inputs: { ckpt_name: 'sd_xl_base_1.0.safetensors' } },
    '5': { class_type: 'EmptyLatentImage', inputs: { width: '{{width}}', height: 1024, batch_size: 1 } },
    '6': {
      class_type: 'CLIPTextEncode',
      inputs: { text: 'a photo of {{subject}}, {{style}} style', clip: ['4', 1] },
    },
    '7': { class_type: 'CLIPTextEncode', inputs: { text: '{{negative}}', clip: ['4', 1] } },
    '8': { class_type: 'VAEDecode', inputs: { samples: ['3', 0], vae: ['4', 2], tiled: '{{tiled}}' } },
    '9': { class_type: 'SaveImage', inputs: { filename_prefix: 'atelier', images: ['8', 0] } },
  };
}

function definitions(): ParamDefinition[] {
  return [
    { name: 'seed', type: 'int', min: 0, max: 1000, randomize: true },
    { name: 'steps', type: 'int', default: 20, min: 1, max: 100 },
    { name: 'cfg', type: 'float', default: 7.5, min: 1, max: 30 },
    { name: 'sampler', type: 'enum', options: ['euler', 'dpmpp_2m'], default: 'euler' },
    { name: 'width', type: 'int', default: 1024, min: 64, max: 2048 },
    { name: 'subject', type: 'string', required: true },
    { name: 'style', type: 'enum', options: ['photo', 'anime'], default: 'photo' },
    { name: 'negative', type: 'string', default: '' },
    { name: 'tiled', type: 'bool', default: false },
  ];
}

const values = {
  seed: 42,
  steps: 20,
  cfg: 7.5,
  sampler: 'euler',
  width: 1024,
  subject: 'a fox',
  style: 'photo',
  negative: 'blurry',
  tiled: false,
};

describe('findPlaceholders', () => {
  it('finds whole and embedded placeholders anywhere in the graph', () => {
    const graph = {
      ...txt2img(),
      '12': { class_type: 'X', inputs: { list: ['{{a}}', { deep: 'x {{b}} y' }] } },
    };
    expect(findPlaceholders(graph)).toEqual(
      new Set([
        'seed',
        'steps',
        'cfg',
        'sampler',
        'width',
        'subject',
        'style',
        'negative',
        'tiled',
        'a',
        'b',
      ]),
    );
  });
});

describe('checkDefinitions', () => {
  it('accepts a consistent template', () => {
    expect(checkDefinitions(txt2img(), definitions())).toEqual([]);
  });

  type Mutation = (graph: WorkflowGraph, defs: ParamDefinition[]) => unknown;
  const byName = (defs: ParamDefinition[], name: string) => defs.find((d) => d.name === name)!;

  it.each<[string, Mutation, string, RegExp]>([
    [
      'a placeholder without definition',
      (g) => (g['5'].inputs.height = '{{height}}'),
      'graph.5.inputs.height',
      /\{\{height\}\} has no parameter definition/,
    ],
    [
      'a definition without placeholder',
      (_, d) => d.push({ name: 'denoise', type: 'float', default: 1 }),
      'params[9].name',
      /"denoise" is not used/,
    ],
    [
      'min greater than max',
      (_, d) => Object.assign(byName(d, 'steps'), { min: 50, max: 10 }),
      'params[1].min',
      /greater than max/,
    ],
    [
      'an enum without options',
      (_, d) => delete byName(d, 'sampler').options,
      'params[3].options',
      /non-empty list/,
    ],
    [
      'options on a non-enum',
      (_, d) => (byName(d, 'negative').options = ['a']),
      'params[7].options',
      /enum parameters only/,
    ],
    [
      'a default out of range',
      (_, d) => (byName(d, 'steps').default = 500),
      'params[1].default',
      /at most 100/,
    ],
    [
      'a default of the wrong type',
      (_, d) => (byName(d, 'width').default = '1024'),
      'params[4].default',
      /integer/,
    ],
    [
      'a default not among the options',
      (_, d) => (byName(d, 'style').default = 'oil'),
      'params[6].default',
      /one of: photo, anime/,
    ],
    ['a fractional bound on an int', (_, d) => (byName(d, 'width').max = 10.5), 'params[4].max', /integer/],
    [
      'min on a string',
      (_, d) => (byName(d, 'negative').min = 1),
      'params[7].min',
      /int and float parameters only/,
    ],
    [
      'a duplicate name',
      (_, d) => d.push({ name: 'seed', type: 'int', default: 1 }),
      'params[9].name',
      /"seed" is defined more than once/,
    ],
    [
      'a bad name',
      (_, d) => d.push({ name: '9lives', type: 'int', default: 1 }),
      'params[9].name',
      /letters, digits and underscores/,
    ],
    [
      'an unknown type',
      (_, d) => Object.assign(byName(d, 'tiled'), { type: 'checkbox' }),
      'params[8].type',
      /one of: int, float/,
    ],
    [
      'a required parameter with a default',
      (_, d) => (byName(d, 'subject').default = 'x'),
      'params[5].default',
      /required parameter cannot have a default/,
    ],
    [
      'a parameter with no value when omitted',
      (_, d) => delete byName(d, 'steps').default,
      'params[1]',
      /needs required: true, a default or randomize/,
    ],
    [
      'a randomized float without bounds',
      (_, d) => Object.assign(byName(d, 'cfg'), { default: undefined, min: undefined, randomize: true }),
      'params[2].randomize',
      /needs min and max/,
    ],
    [
      'a randomized string',
      (_, d) => Object.assign(byName(d, 'negative'), { default: undefined, randomize: true }),
      'params[7].randomize',
      /int and float parameters only/,
    ],
    [
      'an int embedded in text',
      (g) => (g['6'].inputs.text = 'seed {{seed}}'),
      'graph.6.inputs.text',
      /\{\{seed\}\} is a int parameter: only string and enum/,
    ],
    [
      'a malformed placeholder',
      (g) => (g['4'].inputs.ckpt_name = 'model-{{ 2x }}.safetensors'),
      'graph.4.inputs.ckpt_name',
      /malformed/,
    ],
    [
      'an output definition naming a missing node',
      (_, d) => d.push({ name: 'out', type: 'image', direction: 'output', nodeId: '99' }),
      'params[9].nodeId',
      /node "99" does not exist/,
    ],
    [
      'an output definition with a default',
      (_, d) => d.push({ name: 'out', type: 'image', direction: 'output', nodeId: '9', default: 'x' }),
      'params[9].default',
      /output parameter/,
    ],
    [
      'two output definitions',
      (_, d) =>
        d.push(
          { name: 'o1', type: 'image', direction: 'output', nodeId: '9' },
          { name: 'o2', type: 'image', direction: 'output', nodeId: '8' },
        ),
      'params[10].direction',
      /only one output/,
    ],
    [
      'a placeholder naming an output definition',
      (g, d) => {
        d.push({ name: 'out', type: 'image', direction: 'output', nodeId: '9' });
        g['9'].inputs.filename_prefix = '{{out}}';
      },
      'graph.9.inputs.filename_prefix',
      /names an output parameter/,
    ],
    ['no output node', (g) => delete g['9'], 'graph', /has no output: add a SaveImage node/],
    [
      'a node without class_type',
      (g) => delete (g['4'] as Partial<WorkflowGraph[string]>).class_type,
      'graph.4',
      /must be a node/,
    ],
  ])('reports %s', (_, mutate, field, message) => {
    const graph = txt2img();
    const defs = definitions();
    mutate(graph, defs);
    expect(checkDefinitions(graph, defs)).toContainEqual({ field, message: expect.stringMatching(message) });
  });

  it('reports all problems at once, and survives garbage', () => {
    const graph = txt2img();
    graph['5'].inputs.height = '{{height}}';
    const defs = definitions().filter((d) => d.name !== 'tiled');
    expect(checkDefinitions(graph, defs).map((e) => e.field)).toEqual([
      'graph.5.inputs.height',
      'graph.8.inputs.tiled',
    ]);
    expect(checkDefinitions([], 'nope')).toEqual([
      { field: 'graph', message: expect.stringMatching(/API-format graph/) },
      { field: 'params', message: 'must be a list of parameter definitions' },
    ]);
  });
});

describe('fillGraph', () => {
  it('substitutes typed values structurally: numbers stay numbers, booleans stay booleans', () => {
    const filled = fillGraph(txt2img(), values);
    expect(filled['3'].inputs).toMatchObject({ seed: 42, steps: 20, cfg: 7.5, sampler_name: 'euler' });
    expect(typeof filled['3'].inputs.seed).toBe('number');
    expect(filled['8'].inputs.tiled).toBe(false);
    expect(filled['6'].inputs.text).toBe('a photo of a fox, photo style');
    expect(filled['7'].inputs.text).toBe('blurry');
    expect(findPlaceholders(filled).size).toBe(0);
  });

  it('leaves the template untouched and shares nothing with it', () => {
    const template = txt2img();
    const filled = fillGraph(template, values);
    expect(template).toEqual(txt2img());
    expect(filled['3'].inputs.model).toEqual(['4', 0]);
    expect(filled['3'].inputs.model).not.toBe(template['3'].inputs.model);
  });

  it.each([
    '", "class_type": "Evil"}',
    '"}}, "99": {"class_type": "Evil", "inputs": {}}, "x": {"y": "',
    '{{seed}}',
    '{{negative}} $& $1 $$',
    'line\nbreak \\ backslash \u0000 nul',
  ])('puts the hostile value %p in verbatim and never expands it', (hostile) => {
    const filled = fillGraph(txt2img(), { ...values, subject: hostile, negative: hostile });
    expect(filled['7'].inputs.text).toBe(hostile);
    expect(filled['6'].inputs.text).toBe(`a photo of ${hostile}, photo style`);
    expect(Object.keys(filled).sort()).toEqual(['3', '4', '5', '6', '7', '8', '9']);
    expect(Object.values(filled).map((n) => n.class_type)).not.toContain('Evil');
    expect(filled['3'].inputs.seed).toBe(42);
    expect(JSON.parse(JSON.stringify(filled))).toEqual(filled);
  });

  it('reports every placeholder without a value', () => {
    const { subject: _subject, tiled: _tiled, ...partial } = values;
    expect(() => fillGraph(txt2img(), partial)).toThrow(
      expect.objectContaining({
        constructor: WorkflowParamsError,
        errors: [
          { field: 'params.subject', message: 'has no value for its placeholder in the graph' },
          { field: 'params.tiled', message: 'has no value for its placeholder in the graph' },
        ],
      }),
    );
  });

  it('does not take values from Object.prototype and keeps __proto__ keys as data', () => {
    const graph = JSON.parse(
      '{"1": {"class_type": "X", "inputs": {"a": "{{constructor}}", "__proto__": {"polluted": "{{v}}"}}}}',
    );
    expect(() => fillGraph(graph, {})).toThrow(WorkflowParamsError);
    const filled = fillGraph(graph, { constructor: 'c', v: 1 });
    expect(filled['1'].inputs.a).toBe('c');
    expect(Object.getOwnPropertyDescriptor(filled['1'].inputs, '__proto__')?.value).toEqual({ polluted: 1 });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('findOutputNode', () => {
  it('prefers the output definition', () => {
    const defs = [
      ...definitions(),
      { name: 'out', type: 'image' as const, direction: 'output' as const, nodeId: '8' },
    ];
    expect(findOutputNode(txt2img(), defs)).toBe('8');
  });

  it('otherwise takes the node Art Engine titled "Output" (_meta.title), before any SaveImage', () => {
    const graph = txt2img();
    graph['12'] = { class_type: 'PreviewImage', inputs: { images: ['8', 0] }, _meta: { title: ' OUTPUT ' } };
    graph['11'] = { class_type: 'PreviewImage', inputs: { images: ['8', 0] }, _meta: { title: 'Preview' } };
    expect(findOutputNode(graph, definitions())).toBe('12');
    graph['10'] = { class_type: 'SaveImage', inputs: { images: ['8', 0] }, _meta: { title: 'Output' } };
    expect(findOutputNode(graph, definitions())).toBe('10');
    const defs = [
      ...definitions(),
      { name: 'out', type: 'image' as const, direction: 'output' as const, nodeId: '9' },
    ];
    expect(findOutputNode(graph, defs)).toBe('9');
  });

  it('otherwise takes the first SaveImage node in numeric id order', () => {
    const graph = txt2img();
    graph['10'] = { class_type: 'SaveImage', inputs: { filename_prefix: 'b', images: ['8', 0] } };
    graph['100'] = { class_type: 'SaveImage', inputs: { filename_prefix: 'c', images: ['8', 0] } };
    expect(findOutputNode(graph, definitions())).toBe('9');
    delete graph['9'];
    expect(findOutputNode(graph, definitions())).toBe('10');
  });

  it('throws when there is no output or the output node is missing', () => {
    const graph = txt2img();
    delete graph['9'];
    expect(() => findOutputNode(graph, definitions())).toThrow(WorkflowDefinitionError);
    const defs = [{ name: 'out', type: 'image' as const, direction: 'output' as const, nodeId: '42' }];
    expect(() => findOutputNode(txt2img(), defs)).toThrow(/params\[0\]\.nodeId node "42" does not exist/);
  });

  it('orders ids numerically when both are numbers, as text otherwise', () => {
    expect(['10', '9', '2', 'b', '09', 'a:1', '100'].sort(compareNodeIds)).toEqual([
      '2',
      '09',
      '9',
      '10',
      '100',
      'a:1',
      'b',
    ]);
  });
});
