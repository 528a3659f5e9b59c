// Protocol schemas as JSON Schema (2020-12, what OpenAPI 3.1 speaks), with every named model (`.meta({ id })`)
// collected once as a component and referred to by `#/components/schemas/<id>`.
import { z } from 'zod';

export type JsonSchema = { [key: string]: unknown };

export interface SchemaConverter {
  /** `input` for what clients send (defaults optional, coercions accept strings), `output` for answers. */
  convert(schema: z.ZodType, io: 'input' | 'output'): JsonSchema;
  /** The named models met so far, by id. */
  components(): Record<string, JsonSchema>;
}

export const componentRef = (id: string) => `#/components/schemas/${id}`;

/** zod names shared schemas under `$defs`; OpenAPI keeps them under `components.schemas`. */
function moveRefs<T>(value: T): T {
  return JSON.parse(JSON.stringify(value).replaceAll('"#/$defs/', `"${componentRef('')}`)) as T;
}

export function createSchemaConverter(): SchemaConverter {
  const components: Record<string, JsonSchema> = {};
  return {
    convert(schema, io) {
      // Refinements and transforms have no JSON Schema form: what they leave is the shape, which is the point.
      const { $schema: _dialect, $defs, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' });
      for (const [id, definition] of Object.entries($defs ?? {})) components[id] ??= moveRefs(definition);
      return moveRefs(rest);
    },
    components: () => Object.fromEntries(Object.entries(components).sort(([a], [b]) => a.localeCompare(b))),
  };
}
