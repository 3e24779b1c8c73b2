import {
  checkParamDefinitions,
  isInputParam,
  ParamDefinition,
  WorkflowDefinitionError,
  WorkflowFieldError,
  WorkflowParamsError,
} from './workflow-params';

/**
 * ComfyUI workflow templates: an API-format graph (`{ [nodeId]: { class_type, inputs } }`) whose
 * string values may hold `{{name}}` placeholders for typed parameters (see workflow-params.ts).
 *
 * A placeholder that is a whole string value is replaced by the typed value (a number stays a
 * number); one embedded in longer text is replaced by the value's text, which only string and
 * enum parameters allow. Substitution works on the parsed structure, never on JSON text, and
 * never re-reads what it inserted, so a value is always just a value.
 */
export interface WorkflowNode {
  class_type: string;
  inputs: Record<string, unknown>;
  [key: string]: unknown;
}
export type WorkflowGraph = Record<string, WorkflowNode>;

export const OUTPUT_NODE_CLASS = 'SaveImage';
/**
 * Art Engine marks the node whose images are the result by naming it "Output" in the editor;
 * ComfyUI's API-format export carries that name as `_meta.title`.
 */
export const OUTPUT_NODE_TITLE = 'output';
// Spaces inside the braces are tolerated: `{{ seed }}` is the same placeholder as `{{seed}}`.
const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;
const WHOLE_PLACEHOLDER = /^\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}$/;
const ANY_BRACES = /\{\{(.*?)\}\}/g;
const EMBEDDABLE_TYPES = new Set(['string', 'enum']);

export interface PlaceholderUse {
  name: string;
  /** True when the placeholder is the entire string value. */
  whole: boolean;
  /** Where it is, for error fields: `graph.3.inputs.seed`. */
  path: string;
}

/** Every placeholder occurrence, in document order; malformed `{{…}}` are reported as `name: ''`. */
export function findPlaceholderUses(graph: unknown): PlaceholderUse[] {
  const uses: PlaceholderUse[] = [];
  walkStrings(graph, 'graph', (text, path) => {
    const whole = WHOLE_PLACEHOLDER.exec(text);
    if (whole) return void uses.push({ name: whole[1], whole: true, path });
    for (const [match] of text.matchAll(ANY_BRACES)) {
      uses.push({ name: WHOLE_PLACEHOLDER.exec(match)?.[1] ?? '', whole: false, path });
    }
  });
  return uses;
}

export function findPlaceholders(graph: unknown): Set<string> {
  return new Set(
    findPlaceholderUses(graph)
      .map((use) => use.name)
      .filter((name) => name !== ''),
  );
}

/**
 * Everything wrong with a workflow's graph and parameter definitions, all at once (empty = valid):
 * graph shape, definitions on their own, placeholders without a definition, input definitions
 * without a placeholder, non-text parameters embedded in text, unknown node ids, no output node.
 */
export function checkDefinitions(graph: unknown, defs: unknown): WorkflowFieldError[] {
  const errors: WorkflowFieldError[] = [...checkGraphShape(graph), ...checkParamDefinitions(defs)];
  const validDefs = (Array.isArray(defs) ? defs : []).filter(
    (d): d is ParamDefinition => d !== null && typeof d === 'object' && typeof d.name === 'string',
  );
  const byName = new Map(validDefs.map((d) => [d.name, d]));
  const used = new Set<string>();
  for (const use of findPlaceholderUses(graph)) {
    const def = byName.get(use.name);
    if (use.name === '') {
      errors.push({
        field: use.path,
        message: 'has a malformed {{…}} placeholder: use {{name}} with letters, digits, _',
      });
    } else if (!def) {
      errors.push({ field: use.path, message: `placeholder {{${use.name}}} has no parameter definition` });
    } else if (!isInputParam(def)) {
      errors.push({ field: use.path, message: `placeholder {{${use.name}}} names an output parameter` });
    } else {
      used.add(use.name);
      if (!use.whole && !EMBEDDABLE_TYPES.has(def.type)) {
        errors.push({
          field: use.path,
          message: `{{${use.name}}} is a ${def.type} parameter: only string and enum parameters can sit inside longer text`,
        });
      }
    }
  }
  const nodes = isPlainObject(graph) ? graph : {};
  for (const def of validDefs) {
    const field = `params[${(defs as unknown[]).indexOf(def)}]`;
    if (isInputParam(def) && !used.has(def.name)) {
      errors.push({
        field: `${field}.name`,
        message: `parameter "${def.name}" is not used by any {{${def.name}}} in the graph`,
      });
    }
    if (typeof def.nodeId === 'string' && !Object.hasOwn(nodes, def.nodeId)) {
      errors.push({ field: `${field}.nodeId`, message: `node "${def.nodeId}" does not exist in the graph` });
    }
  }
  if (
    isPlainObject(graph) &&
    !validDefs.some((d) => !isInputParam(d)) &&
    saveImageNodes(graph).length === 0
  ) {
    errors.push({
      field: 'graph',
      message: `has no output: add a ${OUTPUT_NODE_CLASS} node or an output parameter`,
    });
  }
  return errors;
}

/**
 * A deep copy of `graph` with every placeholder replaced from `values` (as returned by
 * resolveParams). Throws WorkflowParamsError if a placeholder has no value.
 */
export function fillGraph<G>(graph: G, values: Record<string, unknown>): G {
  const errors = new Map<string, string>();
  const valueOf = (name: string): unknown => (Object.hasOwn(values, name) ? values[name] : undefined);
  const substitute = (node: unknown): unknown => {
    if (typeof node === 'string') {
      const whole = WHOLE_PLACEHOLDER.exec(node);
      if (whole) {
        const value = valueOf(whole[1]);
        if (value === undefined) errors.set(whole[1], 'has no value for its placeholder in the graph');
        return value === undefined ? node : structuredClone(value);
      }
      // One pass with a replacer function: inserted text is never scanned again, and `$&`-style
      // patterns in a value mean nothing.
      return node.replace(PLACEHOLDER, (match, name: string) => {
        const value = valueOf(name);
        if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
          return String(value);
        errors.set(
          name,
          value === undefined ? 'has no value for its placeholder in the graph' : 'cannot be put inside text',
        );
        return match;
      });
    }
    if (Array.isArray(node)) return node.map(substitute);
    if (isPlainObject(node)) {
      // fromEntries defines own properties, so a `__proto__` key stays data and never becomes a prototype.
      return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, substitute(value)]));
    }
    return node;
  };
  const filled = substitute(graph) as G;
  if (errors.size) {
    throw new WorkflowParamsError(
      [...errors].map(([name, message]) => ({ field: `params.${name}`, message })),
    );
  }
  return filled;
}

/**
 * The node whose images are the job's result: the output parameter's node, else the first node
 * titled "Output" (`_meta.title`, any case), else the first SaveImage node — "first" in node-id
 * order, numeric ids compared as numbers — else WorkflowDefinitionError.
 */
export function findOutputNode(graph: WorkflowGraph, defs: readonly ParamDefinition[]): string {
  const index = defs.findIndex((d) => d.direction === 'output');
  if (index >= 0) {
    const nodeId = defs[index].nodeId;
    if (typeof nodeId === 'string' && Object.hasOwn(graph, nodeId)) return nodeId;
    throw new WorkflowDefinitionError([
      { field: `params[${index}].nodeId`, message: `node "${String(nodeId)}" does not exist in the graph` },
    ]);
  }
  const [first] = [...titledOutputNodes(graph), ...saveImageNodes(graph)];
  if (first !== undefined) return first;
  throw new WorkflowDefinitionError([
    { field: 'graph', message: `has no output: add a ${OUTPUT_NODE_CLASS} node or an output parameter` },
  ]);
}

function titledOutputNodes(graph: Record<string, unknown>): string[] {
  return Object.keys(graph)
    .filter((id) => {
      const meta = isPlainObject(graph[id]) ? (graph[id] as WorkflowNode)._meta : undefined;
      const title = isPlainObject(meta) ? (meta as { title?: unknown }).title : undefined;
      return typeof title === 'string' && title.trim().toLowerCase() === OUTPUT_NODE_TITLE;
    })
    .sort(compareNodeIds);
}

function saveImageNodes(graph: Record<string, unknown>): string[] {
  return Object.keys(graph)
    .filter((id) => isPlainObject(graph[id]) && (graph[id] as WorkflowNode).class_type === OUTPUT_NODE_CLASS)
    .sort(compareNodeIds);
}

/** ComfyUI ids are usually numbers as strings: "9" comes before "10". Others compare as text. */
export function compareNodeIds(a: string, b: string): number {
  if (/^\d+$/.test(a) && /^\d+$/.test(b)) {
    const byNumber =
      a.replace(/^0+/, '').length - b.replace(/^0+/, '').length ||
      cmp(a.replace(/^0+/, ''), b.replace(/^0+/, ''));
    return byNumber || cmp(a, b);
  }
  return cmp(a, b);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function checkGraphShape(graph: unknown): WorkflowFieldError[] {
  if (!isPlainObject(graph) || Object.keys(graph).length === 0) {
    return [{ field: 'graph', message: 'must be a ComfyUI API-format graph: an object of nodes by id' }];
  }
  return Object.entries(graph).flatMap(([id, node]): WorkflowFieldError[] => {
    if (
      !isPlainObject(node) ||
      typeof node.class_type !== 'string' ||
      node.class_type === '' ||
      !isPlainObject(node.inputs)
    ) {
      return [{ field: `graph.${id}`, message: 'must be a node: { "class_type": "…", "inputs": { … } }' }];
    }
    return [];
  });
}

function walkStrings(node: unknown, path: string, visit: (text: string, path: string) => void): void {
  if (typeof node === 'string') visit(node, path);
  else if (Array.isArray(node)) node.forEach((item, i) => walkStrings(item, `${path}[${i}]`, visit));
  else if (isPlainObject(node))
    for (const [key, value] of Object.entries(node)) walkStrings(value, `${path}.${key}`, visit);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
