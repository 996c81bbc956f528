import { bySpeechPreference, type ModelEntry, type ModelKind } from '@little-monster/core/contract';

/**
 * The one model of a kind recommended for this computer, among those that fit its memory:
 * for chat, the engine's own suggestion (it knows the machine); for speech, the engine's order
 * of preference (the one it picks first); for search and voices, the catalog's first.
 */
export function recommendedModel(
  kind: ModelKind,
  models: readonly ModelEntry[],
  suggestedChatModelId: string | null | undefined,
): ModelEntry | null {
  const fitting = models.filter((model) => model.kind === kind && model.fitsMemory);
  if (kind === 'llm') return fitting.find((model) => model.id === suggestedChatModelId) ?? null;
  if (kind === 'stt') return [...fitting].sort(bySpeechPreference)[0] ?? null;
  return fitting[0] ?? null;
}
