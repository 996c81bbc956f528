import type { ChatTurn, GenerateRequest } from '../llm-engine.js';

/**
 * The conversation as the cloud chat APIs accept it: non-empty turns that alternate, starting
 * and ending with the student. Bedrock's Converse rejects a blank text block, two turns of the
 * same role in a row and a first turn by the assistant; a tutor history can hold all three (a
 * stopped empty answer, a question whose answer failed).
 */
export function conversationTurns(request: Pick<GenerateRequest, 'history' | 'prompt'>): ChatTurn[] {
  const turns: ChatTurn[] = [];
  for (const turn of [...request.history, { role: 'user' as const, text: request.prompt }]) {
    if (!turn.text.trim()) continue;
    const last = turns.at(-1);
    if (!last && turn.role === 'assistant') continue;
    if (last?.role === turn.role) last.text = `${last.text}\n\n${turn.text}`;
    else turns.push({ role: turn.role, text: turn.text });
  }
  return turns;
}

/** The port's defaults: 0.7 for conversation, 0 (deterministic) for structured output. */
export function temperatureOf(request: Pick<GenerateRequest, 'temperature' | 'jsonSchema'>): number {
  return request.temperature ?? (request.jsonSchema ? 0 : 0.7);
}
