import { FieldError } from './errors';

/** Deeper than any request of the API needs; far below what would exhaust the stack of the validators. */
export const MAX_INPUT_DEPTH = 32;

/**
 * A key that would reach an object's prototype in some library down the line (`__proto__`, `constructor`,
 * `prototype`), or that names one of its members (`hasOwnProperty`, `toString`…), which the DTO layer drops
 * silently; no field of the API is named so.
 */
const isPrototypeKey = (key: string) => key === 'prototype' || key in Object.prototype;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function textProblem(text: string): string | null {
  if (text.includes('\u0000')) return 'must not contain the NUL character';
  // PostgreSQL would store U+FFFD while the answer and the hashed audit event kept the lone surrogate.
  if (LONE_SURROGATE.test(text)) return 'must be well-formed Unicode (no lone surrogate)';
  return null;
}

/**
 * The first thing in a request's body, query or path that no field of the API can take, or null: a NUL character,
 * ill-formed Unicode (in a value or a key), `null` (leave an optional field out instead), a prototype key, nesting
 * deeper than MAX_INPUT_DEPTH. Walked without recursion, so hostile nesting cannot overflow the stack here either.
 */
export function inputProblem(input: unknown, root = ''): FieldError | null {
  const pending: { value: unknown; path: string; depth: number }[] = [{ value: input, path: root, depth: 0 }];
  const at = (path: string, key: string) => (path ? `${path}.${key}` : key);
  while (pending.length > 0) {
    const { value, path, depth } = pending.pop()!;
    const field = path || 'body';
    if (value === null) return { field, message: `${field} must not be null; leave an optional field out instead` };
    if (typeof value === 'string') {
      const problem = textProblem(value);
      if (problem) return { field, message: `${field} ${problem}` };
      continue;
    }
    if (typeof value !== 'object') continue;
    if (depth >= MAX_INPUT_DEPTH) return { field, message: `${field} is nested deeper than ${MAX_INPUT_DEPTH} levels` };
    for (const key of Object.keys(value)) {
      const keyProblem = textProblem(key);
      if (keyProblem) return { field: at(path, '?'), message: `a field name ${keyProblem}` };
      if (isPrototypeKey(key)) return { field: at(path, key), message: `${at(path, key)} should not exist` };
      pending.push({ value: (value as Record<string, unknown>)[key], path: at(path, key), depth: depth + 1 });
    }
  }
  return null;
}
