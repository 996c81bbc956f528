import { existsSync } from 'node:fs';
import { AppError } from '../../contract/index.js';
import { checkModelFile } from '../../models/model-file-format.js';

export interface GgufModelRef {
  modelId: string;
  modelPath: string;
  /** What the student knows it as: "embedding model", "chat model". */
  role: string;
}

/**
 * Refuses a missing or garbled GGUF before node-llama-cpp sees it (it can hang on a bad header),
 * with a message that says how to fix it.
 */
export async function ensureGgufModelFile(ref: GgufModelRef): Promise<void> {
  if (!existsSync(ref.modelPath)) {
    throw new AppError(
      'MODEL_NOT_INSTALLED',
      `The ${ref.role} "${ref.modelId}" is not installed (there is no file at ${ref.modelPath}). Install it in Settings › Models.`,
      { modelId: ref.modelId, modelPath: ref.modelPath, problem: 'missing' },
    );
  }
  await checkModelFile(ref.modelPath, 'gguf').catch((error: unknown) => {
    throw damagedGgufModel(ref, (error as Error).message);
  });
}

/** A file that is there but cannot be used: say so, and how to replace it. */
export const damagedGgufModel = (ref: GgufModelRef, reason: string) =>
  new AppError(
    'MODEL_NOT_INSTALLED',
    `The ${ref.role} "${ref.modelId}" could not be loaded: the file ${ref.modelPath} is damaged or is not ` +
      `a GGUF ${ref.role}. Delete it and install it again in Settings › Models.`,
    { modelId: ref.modelId, modelPath: ref.modelPath, problem: 'damaged', reason },
  );
