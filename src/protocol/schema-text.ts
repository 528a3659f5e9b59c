// JSON Schemas (json-schema.ts) in words for a reader: a one-line type (`{ message: Message }`,
// `'online' | 'away'`) and, for an object, one row per field. docs/protocol.md and the /api/docs page both
// write schemas this way.
import type { JsonSchema } from './json-schema.ts';

export interface FieldRow {
  name: string;
  type: string;
  required: boolean;
  /** Its description, limits and default, in one sentence or two. */
  notes: string;
}

const refName = (ref: string) => ref.slice(ref.lastIndexOf('/') + 1);
const properties = (schema: JsonSchema) => (schema.properties ?? {}) as Record<string, JsonSchema>;
const required = (schema: JsonSchema) => new Set((schema.required as string[] | undefined) ?? []);

function literal(value: unknown): string {
  return typeof value === 'string' ? `'${value}'` : String(value);
}

/** A schema as a TypeScript-like type, on one line. */
export function typeText(schema: JsonSchema): string {
  if (typeof schema.$ref === 'string') return refName(schema.$ref);
  const union = (schema.anyOf ?? schema.oneOf) as JsonSchema[] | undefined;
  if (union) return union.map(typeText).join(' | ');
  if (schema.const !== undefined) return literal(schema.const);
  if (Array.isArray(schema.enum)) return schema.enum.map(literal).join(' | ');
  if (schema.not !== undefined) return 'never';
  if (Array.isArray(schema.type)) return schema.type.map((type) => typeText({ ...schema, type })).join(' | ');
  switch (schema.type) {
    case 'array': {
      const item = typeText((schema.items ?? {}) as JsonSchema);
      return /[ |]/.test(item) && !item.startsWith('{') ? `(${item})[]` : `${item}[]`;
    }
    case 'object':
      return objectText(schema);
    case 'string':
    case 'integer':
    case 'number':
    case 'boolean':
    case 'null':
      return schema.type;
    default:
      return 'unknown';
  }
}

function objectText(schema: JsonSchema): string {
  const fields = Object.entries(properties(schema));
  const extra = schema.additionalProperties;
  if (fields.length === 0 && extra && typeof extra === 'object') {
    return `{ [key: string]: ${typeText(extra as JsonSchema)} }`;
  }
  if (fields.length === 0) return '{}';
  const mandatory = required(schema);
  const parts = fields.map(([name, field]) => `${name}${mandatory.has(name) ? '' : '?'}: ${typeText(field)}`);
  return `{ ${parts.join(', ')} }`;
}

/** Limits a schema puts on a value, in words: "1–200 characters", "at most 50 items", "default 50". */
export function limitsText(schema: JsonSchema): string[] {
  const limits: string[] = [];
  const range = (min: unknown, max: unknown, unit: string) => {
    const big = (value: unknown) => typeof value === 'number' && value >= Number.MAX_SAFE_INTEGER;
    const hasMin = typeof min === 'number' && min > 0;
    const hasMax = typeof max === 'number' && !big(max);
    if (hasMin && hasMax) limits.push(min === max ? `exactly ${min}${unit}` : `${min}–${max}${unit}`);
    else if (hasMin) limits.push(`at least ${min}${unit}`);
    else if (hasMax) limits.push(`at most ${max}${unit}`);
  };
  range(schema.minLength, schema.maxLength, ' characters');
  range(schema.minItems, schema.maxItems, ' items');
  range(schema.minimum, schema.maximum, '');
  if (typeof schema.format === 'string') limits.push(schema.format);
  else if (typeof schema.pattern === 'string') limits.push(`matching \`${schema.pattern}\``);
  if (schema.default !== undefined) limits.push(`default ${JSON.stringify(schema.default)}`);
  return limits;
}

/** One row per field of an object schema (or of every object a union may be); none for other schemas. */
export function fieldRows(schema: JsonSchema): FieldRow[] {
  const variants = (schema.anyOf as JsonSchema[] | undefined) ?? [schema];
  const rows = new Map<string, FieldRow>();
  for (const variant of variants) {
    const mandatory = required(variant);
    for (const [name, field] of Object.entries(properties(variant))) {
      if (rows.has(name)) continue;
      const description = typeof field.description === 'string' ? [field.description] : [];
      const limits = limitsText(field);
      rows.set(name, {
        name,
        type: typeText(field),
        required: mandatory.has(name),
        notes: [...description, ...(limits.length > 0 ? [`(${limits.join(', ')})`] : [])].join(' '),
      });
    }
  }
  return [...rows.values()];
}
