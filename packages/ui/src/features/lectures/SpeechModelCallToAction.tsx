import { useId } from 'react';
import { Link } from 'react-router';
import { bySpeechPreference, type ModelEntry } from '@little-monster/core/contract';
import { Loading } from '../../app/components/States';
import { ModelItem } from '../models/ModelsSection';
import { useModels } from '../models/queries';
import { settingsPath } from '../settings/settings-link';

/** Speech models installed on this computer. */
export const installedSpeechModels = (models: readonly ModelEntry[] | undefined) =>
  (models ?? []).filter((model) => model.kind === 'stt' && model.installed);

/** The speech model the engine would pick first, among those that fit this computer. */
const suggestedSpeechModel = (models: readonly ModelEntry[]) =>
  models.filter((model) => model.kind === 'stt' && model.fitsMemory).sort(bySpeechPreference)[0] ?? null;

/**
 * Shown where a transcript would be when no speech model is installed: what is missing, and the
 * model to install (download once, or use a file the student has), as the tutor does for chat.
 */
export function SpeechModelCallToAction({ why }: { why: string }) {
  const headingId = useId();
  const models = useModels();
  if (models.isPending) return <Loading label="Checking the speech models…" />;
  if (!models.data || installedSpeechModels(models.data).length > 0) return null;
  const suggested = suggestedSpeechModel(models.data);
  return (
    <section className="card lecture-setup" aria-labelledby={headingId}>
      <h3 id={headingId} className="card-title">
        Transcripts need a speech model
      </h3>
      <p>{why}</p>
      {suggested ? (
        <>
          <p className="muted">
            Suggested for this computer: download it once (it then works offline), or use a copy of the file
            you already have.
          </p>
          <ul className="settings-stack" aria-label="Suggested speech model">
            <ModelItem model={suggested} />
          </ul>
        </>
      ) : (
        <p className="muted">None of the speech models in the catalog fits this computer’s memory.</p>
      )}
      <p>
        All models are in <Link to={settingsPath('models')}>Settings › Models</Link>.
      </p>
    </section>
  );
}
