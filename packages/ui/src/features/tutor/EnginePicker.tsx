import { useId } from 'react';
import { Link } from 'react-router';
import type { TutorStatus } from '@little-monster/core/contract';
import { Loading } from '../../app/components/States';
import { ModelItem } from '../models/ModelsSection';
import { settingsPath } from '../settings/settings-link';
import { useModels } from '../models/queries';
import { choiceKey, describeCloud, parseChoiceKey, PROVIDER_LABELS } from './engine-text';
import { useChooseEngine } from './queries';

/** What answers next, in a sentence. */
function nextEngineText(status: TutorStatus): string {
  // Why is said once, in the call to action beside the chat.
  if (!status.engine) return 'No model can answer yet.';
  return status.engine.cloud
    ? `Next answer: ${status.engine.label}, a cloud service (your question and passages are sent to it).`
    : `Next answer: ${status.engine.label}, on this computer.`;
}

/** The tutor's model picker: automatic, an installed local model, or a configured cloud service. */
export function EnginePicker({ status }: { status: TutorStatus }) {
  const id = useId();
  const hintId = useId();
  const { choose, pending } = useChooseEngine();
  const current = choiceKey(pending ?? status.choice);
  const installed = status.localModels.filter((model) => model.installed);
  const known = new Set([
    'auto',
    ...installed.map((model) => `local:${model.id}`),
    ...status.cloud.map((config) => `cloud:${config.provider}`),
  ]);
  const chosen = status.choice;

  return (
    <div className="field engine-picker">
      <label htmlFor={id}>Answers with</label>
      <select
        id={id}
        value={current}
        aria-describedby={hintId}
        onChange={(event) => choose(parseChoiceKey(event.target.value))}
      >
        <option value="auto">Automatic</option>
        {installed.length > 0 ? (
          <optgroup label="On this computer">
            {installed.map((model) => (
              <option key={model.id} value={`local:${model.id}`} disabled={!model.fits}>
                {model.fits ? model.name : `${model.name} (needs more memory than this computer has)`}
              </option>
            ))}
          </optgroup>
        ) : null}
        {status.cloud.length > 0 ? (
          <optgroup label="Cloud services">
            {status.cloud.map((config) => (
              <option key={config.provider} value={`cloud:${config.provider}`}>
                {PROVIDER_LABELS[config.provider]} ({describeCloud(config)})
              </option>
            ))}
          </optgroup>
        ) : null}
        {/* The saved choice may name a model since deleted, or a service since removed. */}
        {!known.has(choiceKey(chosen)) ? (
          <option value={choiceKey(chosen)}>
            {chosen.kind === 'local'
              ? `${status.localModels.find((model) => model.id === chosen.modelId)?.name ?? chosen.modelId} (not installed)`
              : chosen.kind === 'cloud'
                ? `${PROVIDER_LABELS[chosen.provider]} (not set up)`
                : ''}
          </option>
        ) : null}
      </select>
      <p id={hintId} className={status.engine ? 'field-hint' : 'field-hint text-error'}>
        {nextEngineText(status)}
      </p>
    </div>
  );
}

/** Shown when nothing can answer: install the suggested model (or use its file), or set up a cloud service. */
export function NoEngineCallToAction({ status }: { status: TutorStatus }) {
  const headingId = useId();
  const models = useModels();
  const suggested = status.suggestedModelId
    ? models.data?.find((model) => model.id === status.suggestedModelId)
    : undefined;
  return (
    <section className="card tutor-setup" aria-labelledby={headingId}>
      <h3 id={headingId} className="card-title">
        The tutor needs a model to answer
      </h3>
      <p>{status.unavailableReason ?? 'No model on this computer can answer yet.'}</p>
      {status.suggestedModelId === null ? (
        <p className="muted">None of the tutor models in the catalog fits this computer’s memory.</p>
      ) : suggested ? (
        <>
          <p className="muted">
            Suggested for this computer: download it once (it then works offline), or use a copy of the file
            you already have.
          </p>
          <ul className="settings-stack" aria-label="Suggested model">
            <ModelItem model={suggested} />
          </ul>
        </>
      ) : models.isPending ? (
        <Loading label="Loading the suggested model…" />
      ) : null}
      <p>
        Or <Link to={settingsPath('tutor')}>set up a cloud service</Link> (Amazon Bedrock or Azure OpenAI)
        with your own keys. Your questions and the passages they draw on are sent to it only when it answers,
        and its answers are marked.
      </p>
    </section>
  );
}
