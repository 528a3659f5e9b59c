// Parsing untrusted input against a protocol schema, with failures reported as `invalid_payload`.
import type { z } from 'zod';
import { ParleyError } from './errors.ts';

export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => ({
    path: issue.path.map(String).join('.') || '(root)',
    message: issue.message,
  }));
  const summary = issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ');
  throw new ParleyError('invalid_payload', `invalid request: ${summary}`, { issues });
}
