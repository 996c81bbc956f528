import type { ModelEntry, ModelKind } from '@little-monster/core/contract';
import { formatBytes } from '../../app/format';

export const KIND_LABELS: Record<ModelKind, string> = {
  embedding: 'Text embeddings',
  llm: 'Language model',
  stt: 'Speech to text',
  tts: 'Text to speech',
};

/** What a student gains by installing a model of each kind, said where the model is missing: only what the app does today. */
export const WHAT_IT_ADDS: Record<ModelKind, string> = {
  embedding: 'search by meaning across your library, and the passages the tutor cites in its answers',
  llm: 'the tutor: answers to your questions from your own material, with its sources, written on this computer',
  stt: 'transcripts of your recorded lectures',
  tts: 'reading your notes and the tutor’s answers aloud',
};

export function statusLabel(model: ModelEntry): string {
  switch (model.status) {
    case 'installed':
      return model.source === 'file' ? 'Installed from your file' : 'Installed';
    case 'partial': {
      const percent = Math.floor(((model.partialBytes ?? 0) / model.bytes) * 100);
      return `Download paused at ${percent}%`;
    }
    case 'damaged':
      return 'Damaged: install it again';
    case 'missing':
      return 'Not installed';
  }
}

export function downloadLabel(model: ModelEntry): string {
  if (model.status === 'partial') return 'Resume download';
  if (model.status === 'damaged') return 'Download again';
  return `Download (${formatBytes(model.bytes)})`;
}

/** "huggingface.co": who the download contacts, so nothing is fetched from a place the student cannot see. */
export function sourceHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
