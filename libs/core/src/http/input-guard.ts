import type { FastifyInstance } from 'fastify';
import { ProblemException } from '../errors/problem';

/** Deeper than any body the API takes (a ComfyUI graph is ~5 levels); deeper only overflows walkers. */
export const MAX_INPUT_DEPTH = 32;

/**
 * One check at the edge, before validation, over every path parameter, query value and JSON
 * body: PostgreSQL refuses NUL (U+0000) in text and answered 500, and recursive walkers
 * (class-transformer, class-validator) overflow the stack on deeply nested JSON. Both become a
 * 400 naming the field, whatever the route.
 */
export function registerInputGuard(fastify: FastifyInstance): void {
  fastify.addHook('preValidation', (request, _reply, done) => {
    try {
      refuseHostileInput(request.params, '');
      refuseHostileInput(request.query, '');
      refuseHostileInput(request.body, '');
      done();
    } catch (error) {
      done(error as Error);
    }
  });
}

/** Walks iteratively (a recursive walk would itself overflow on the inputs it must refuse). */
export function refuseHostileInput(value: unknown, root: string): void {
  const stack: { value: unknown; path: string; depth: number }[] = [{ value, path: root, depth: 0 }];
  while (stack.length) {
    const { value: current, path, depth } = stack.pop()!;
    if (typeof current === 'string') {
      if (current.includes('\u0000')) throw invalid(path, 'must not contain NUL characters');
      continue;
    }
    if (current === null || typeof current !== 'object' || Buffer.isBuffer(current)) continue;
    if (depth >= MAX_INPUT_DEPTH) throw invalid(path, `is nested deeper than ${MAX_INPUT_DEPTH} levels`);
    for (const [key, child] of Object.entries(current)) {
      const childPath = path ? `${path}.${key}` : key;
      if (key.includes('\u0000')) throw invalid(childPath, 'must not contain NUL characters');
      stack.push({ value: child, path: childPath, depth: depth + 1 });
    }
  }
}

function invalid(path: string, message: string): ProblemException {
  return ProblemException.invalidField(printable(path) || 'body', message);
}

/** The field name is echoed back: without its NUL characters. */
const printable = (path: string) => path.replaceAll('\u0000', '\\u0000');
