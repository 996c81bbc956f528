import { AppError, type ModelEntry } from '../../contract/index.js';

/**
 * The catalog model the student chose for a port, once it is installed; otherwise why it cannot
 * be used ("There is no chat model…", "Install the … model in Settings › Models first.").
 */
export function chosenModel(
  models: ModelEntry[],
  id: string,
  noun: 'chat model' | 'speech model',
): ModelEntry {
  const model = models.find((entry) => entry.id === id);
  if (!model) throw new AppError('NOT_FOUND', `There is no ${noun} "${id}" in this app's catalog.`);
  if (!model.installed)
    throw new AppError('MODEL_NOT_INSTALLED', `Install the ${model.name} model in Settings › Models first.`, {
      modelId: model.id,
    });
  return model;
}
