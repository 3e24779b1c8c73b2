/**
 * Typed parameters of a ComfyUI workflow template (O-Art): their definitions, the checks an
 * admin's definitions must pass, and the resolution of a user's supplied values against them.
 *
 * Values are JSON and are taken as JSON types only — no coercion of `"5"` to 5 or `"true"` to
 * true, because jobs arrive as JSON bodies and a string where a number belongs is a client bug
 * worth reporting. The one leniency is the one JSON forces: an integer is a valid `float`.
 */
export type ParamType = 'int' | 'float' | 'string' | 'bool' | 'enum' | 'image';
export const PARAM_TYPES: readonly ParamType[] = ['int', 'float', 'string', 'bool', 'enum', 'image'];

export interface ParamDefinition {
  name: string;
  type: ParamType;
  default?: unknown;
  required?: boolean;
  /** Display order in clients. */
  order?: number;
  /** Inclusive bounds, for `int` and `float` only. */
  min?: number;
  max?: number;
  /** Allowed values of an `enum`. */
  options?: string[];
  /** When the user gives no value, draw one uniformly in [min, max] (seeds). */
  randomize?: boolean;
  /** `output` names the node whose images are the job's result; default `input`. */
  direction?: 'input' | 'output';
  nodeId?: string;
  description?: string;
}

export interface WorkflowFieldError {
  field: string;
  message: string;
}

/** A user's parameter values do not fit the workflow; `errors` lists every problem (`params.<name>`). */
export class WorkflowParamsError extends Error {
  constructor(readonly errors: WorkflowFieldError[]) {
    super(`invalid workflow parameters: ${errors.map((e) => `${e.field} ${e.message}`).join('; ')}`);
    this.name = 'WorkflowParamsError';
  }
}

/** The workflow itself is unusable (its graph or definitions are wrong): an admin has to fix it. */
export class WorkflowDefinitionError extends Error {
  constructor(readonly errors: WorkflowFieldError[]) {
    super(`invalid workflow definition: ${errors.map((e) => `${e.field} ${e.message}`).join('; ')}`);
    this.name = 'WorkflowDefinitionError';
  }
}

export const PARAM_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Range drawn for a randomized `int` without bounds: the 32-bit seeds most ComfyUI UIs use. */
export const DEFAULT_RANDOM_INT_RANGE = { min: 0, max: 4_294_967_295 } as const;

export function isInputParam(def: ParamDefinition): boolean {
  return def.direction !== 'output';
}

/** A workflow's text values (prompts) are capped like a job's own prompt; image refs are ids. */
export const STRING_PARAM_MAX_LENGTH = 4000;
const IMAGE_REF_MAX_LENGTH = 200;

/** Why `value` is not acceptable for `def`, or undefined when it is. */
export function valueProblem(def: ParamDefinition, value: unknown): string | undefined {
  const got = `(got ${describeType(value)})`;
  switch (def.type) {
    case 'int':
      if (typeof value !== 'number' || !Number.isSafeInteger(value)) return `must be an integer ${got}`;
      break;
    case 'float':
      if (typeof value !== 'number' || !Number.isFinite(value)) return `must be a number ${got}`;
      break;
    case 'bool':
      return typeof value === 'boolean' ? undefined : `must be true or false ${got}`;
    case 'string':
      if (typeof value !== 'string') return `must be a string ${got}`;
      return value.length > STRING_PARAM_MAX_LENGTH
        ? `must be at most ${STRING_PARAM_MAX_LENGTH} characters`
        : undefined;
    case 'image':
      return typeof value === 'string' && value !== '' && value.length <= IMAGE_REF_MAX_LENGTH
        ? undefined
        : `must be an image reference (a non-empty string of at most ${IMAGE_REF_MAX_LENGTH} characters) ${got}`;
    case 'enum':
      return typeof value === 'string' && (def.options ?? []).includes(value)
        ? undefined
        : `must be one of: ${(def.options ?? []).join(', ')}`;
    default:
      return `has an unknown type ${JSON.stringify(def.type)}`;
  }
  if (def.min !== undefined && value < def.min) return `must be at least ${def.min}`;
  if (def.max !== undefined && value > def.max) return `must be at most ${def.max}`;
  return undefined;
}

/**
 * Checks the definitions on their own (the graph cross-checks are in checkDefinitions).
 * Fields are `params[<index>].<property>`.
 */
export function checkParamDefinitions(defs: unknown): WorkflowFieldError[] {
  if (!Array.isArray(defs)) return [{ field: 'params', message: 'must be a list of parameter definitions' }];
  const errors: WorkflowFieldError[] = [];
  const seen = new Set<string>();
  let outputSeen = false;
  defs.forEach((raw: unknown, index) => {
    const at = (property?: string) => (property ? `params[${index}].${property}` : `params[${index}]`);
    const fail = (property: string | undefined, message: string) =>
      errors.push({ field: at(property), message });
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
      return fail(undefined, 'must be an object');
    const def = raw as ParamDefinition;
    if (typeof def.name !== 'string' || !PARAM_NAME_PATTERN.test(def.name)) {
      fail('name', 'must be a name of letters, digits and underscores, not starting with a digit');
    } else if (seen.has(def.name)) {
      fail('name', `"${def.name}" is defined more than once`);
    } else {
      seen.add(def.name);
    }
    if (!PARAM_TYPES.includes(def.type)) return fail('type', `must be one of: ${PARAM_TYPES.join(', ')}`);
    for (const flag of ['required', 'randomize'] as const) {
      if (def[flag] !== undefined && typeof def[flag] !== 'boolean') fail(flag, 'must be true or false');
    }
    for (const [text, maxLength] of [
      ['description', 500],
      ['nodeId', 64],
    ] as const) {
      const value = def[text];
      if (value !== undefined && (typeof value !== 'string' || value.length > maxLength)) {
        fail(text, `must be a string of at most ${maxLength} characters`);
      }
    }
    if (def.order !== undefined && !Number.isFinite(def.order)) fail('order', 'must be a number');

    if (def.direction === 'output') {
      if (outputSeen) fail('direction', 'only one output parameter is supported');
      outputSeen = true;
      if (typeof def.nodeId !== 'string')
        fail('nodeId', 'an output parameter must name the node whose images are the result');
      for (const key of ['default', 'required', 'randomize'] as const) {
        if (def[key] !== undefined) fail(key, 'does not apply to an output parameter');
      }
      return;
    }
    if (def.direction !== undefined && def.direction !== 'input')
      return fail('direction', 'must be input or output');

    const numeric = def.type === 'int' || def.type === 'float';
    for (const bound of ['min', 'max'] as const) {
      const value = def[bound];
      if (value === undefined) continue;
      if (!numeric) fail(bound, 'applies to int and float parameters only');
      else if (typeof value !== 'number' || !Number.isFinite(value)) fail(bound, 'must be a number');
      else if (def.type === 'int' && !Number.isSafeInteger(value)) fail(bound, 'must be an integer');
    }
    if (typeof def.min === 'number' && typeof def.max === 'number' && def.min > def.max) {
      fail('min', `must not be greater than max (${def.max})`);
    }

    if (def.type === 'enum') {
      const options = def.options;
      if (!Array.isArray(options) || options.length === 0)
        fail('options', 'an enum needs a non-empty list of options');
      else if (!options.every((o) => typeof o === 'string' && o !== ''))
        fail('options', 'must be non-empty strings');
      else if (new Set(options).size !== options.length) fail('options', 'must not repeat a value');
    } else if (def.options !== undefined) {
      fail('options', 'applies to enum parameters only');
    }

    if (def.default !== undefined) {
      const problem = valueProblem(def, def.default);
      if (problem) fail('default', problem);
    }
    if (def.randomize) {
      if (!numeric) fail('randomize', 'applies to int and float parameters only');
      if (def.type === 'float' && (def.min === undefined || def.max === undefined)) {
        fail('randomize', 'a randomized float needs min and max');
      }
    }
    // Each pair would leave it ambiguous what an omitted value means.
    if (def.required && def.default !== undefined)
      fail('default', 'a required parameter cannot have a default');
    if (def.required && def.randomize) fail('randomize', 'a required parameter cannot be randomized');
    if (def.randomize && def.default !== undefined)
      fail('default', 'a randomized parameter cannot have a default');
    if (!def.required && !def.randomize && def.default === undefined) {
      fail(
        undefined,
        'needs required: true, a default or randomize, to have a value when the user gives none',
      );
    }
  });
  return errors;
}

export interface ResolvedParams {
  /** A value for every input parameter: supplied, default or drawn. */
  values: Record<string, unknown>;
  /** The randomized values, to record on the job so a result can be reproduced. */
  drawn: Record<string, number>;
}

/**
 * Checks `supplied` against `defs` (assumed to pass checkParamDefinitions) and fills in defaults
 * and random draws. A `null` counts as not supplied. Throws WorkflowParamsError with every problem.
 */
export function resolveParams(
  defs: readonly ParamDefinition[],
  supplied: Record<string, unknown> | null | undefined,
  random: () => number = Math.random,
): ResolvedParams {
  const input = supplied ?? {};
  if (typeof input !== 'object' || Array.isArray(input)) {
    throw new WorkflowParamsError([{ field: 'params', message: 'must be an object of parameter values' }]);
  }
  const inputDefs = defs.filter(isInputParam);
  const known = new Set(inputDefs.map((d) => d.name));
  const errors: WorkflowFieldError[] = Object.keys(input)
    .filter((name) => !known.has(name) && input[name] !== undefined)
    .map((name) => ({
      field: `params.${name}`,
      message: `is not a parameter of this workflow (expected: ${[...known].join(', ') || 'none'})`,
    }));
  const values: Record<string, unknown> = {};
  const drawn: Record<string, number> = {};
  for (const def of inputDefs) {
    const field = `params.${def.name}`;
    const value = Object.hasOwn(input, def.name) ? input[def.name] : undefined;
    if (value === undefined || value === null) {
      if (def.randomize) values[def.name] = drawn[def.name] = draw(def, random);
      else if (def.default !== undefined) values[def.name] = def.default;
      else errors.push({ field, message: def.required ? 'is required' : 'has no value and no default' });
      continue;
    }
    const problem = valueProblem(def, value);
    if (problem) errors.push({ field, message: problem });
    else values[def.name] = value;
  }
  if (errors.length) throw new WorkflowParamsError(errors);
  return { values, drawn };
}

function draw(def: ParamDefinition, random: () => number): number {
  if (def.type === 'float') {
    const min = def.min ?? 0;
    const max = def.max ?? 1;
    return Math.min(max, min + random() * (max - min));
  }
  const min = Math.ceil(def.min ?? DEFAULT_RANDOM_INT_RANGE.min);
  const max = Math.floor(def.max ?? DEFAULT_RANDOM_INT_RANGE.max);
  // min() guards against a generator that returns exactly 1.
  return Math.min(max, min + Math.floor(random() * (max - min + 1)));
}

function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'number' && !Number.isInteger(value)) return `${value}`;
  if (typeof value === 'number' && !Number.isSafeInteger(value)) return 'an integer beyond 2^53';
  return (
    { string: 'a string', number: 'a number', boolean: 'a boolean', object: 'an object' }[
      typeof value as string
    ] ?? typeof value
  );
}
