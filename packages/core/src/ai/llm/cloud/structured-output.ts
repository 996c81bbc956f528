import type { JsonSchema } from '../llm-engine.js';

/**
 * A JSON Schema as the cloud services take it. Both OpenAI strict structured outputs and
 * Bedrock tool input schemas require an object at the root; any other root (an array of
 * cards, say) is wrapped as `{ value: <schema> }` and unwrapped from the answer again.
 */
export interface StructuredOutput {
  schema: JsonSchema;
  /** True when the caller's schema was wrapped: the text is only final once unwrapped. */
  wrapped: boolean;
  /** The answer as the caller's schema describes it. */
  unwrap(text: string): string;
}

export function structuredOutput(schema: JsonSchema): StructuredOutput {
  if (schema.type === 'object') return { schema, wrapped: false, unwrap: (text) => text };
  return {
    schema: {
      type: 'object',
      properties: { value: schema },
      required: ['value'],
      additionalProperties: false,
    },
    wrapped: true,
    unwrap: (text) => {
      try {
        return JSON.stringify((JSON.parse(text) as { value: unknown }).value);
      } catch {
        return text; // cut short (length): give back what came, as a local engine would
      }
    },
  };
}
