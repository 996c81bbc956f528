/** The account's cloud AI from a device: the generate route's event lines, checked and typed. */
import { aiEventSchema, type AiEvent, type AiGenerateRequest } from '../api.js';
import type { ServerApi } from './server-api.js';

/** Streams the events of one generation; stopping `signal` stops it on the server too. */
export async function* generateThroughAccount(
  api: ServerApi,
  request: AiGenerateRequest,
  signal?: AbortSignal,
): AsyncGenerator<AiEvent> {
  const response = await api.send('POST', '/v1/ai/generate', { body: request, signal });
  if (!response.body) return;
  const decoder = new TextDecoder();
  let buffered = '';
  for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
    buffered += decoder.decode(chunk, { stream: true });
    let newline: number;
    while ((newline = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, newline).trim();
      buffered = buffered.slice(newline + 1);
      if (line) yield aiEventSchema.parse(JSON.parse(line));
    }
  }
}
