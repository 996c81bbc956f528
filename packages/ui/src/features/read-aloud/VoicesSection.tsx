import type { Voice } from '@little-monster/core/contract';
import { ErrorState, Loading } from '../../app/components/States';
import { useEngine } from '../../app/engine-context';
import { ModelItem } from '../models/ModelsSection';
import { useModels } from '../models/queries';
import { useUpdateSettings } from '../settings/queries';
import { useVoices } from './queries';
import { READING_SPEEDS, speedLabel } from './speed';
import { usePlayer, useReadAloud } from './use-read-aloud';

const SAMPLE = 'Hello! This is how I sound when I read your notes and the tutor’s answers aloud.';

function SampleButton({ voice }: { voice: Voice }) {
  const engine = useEngine();
  const player = usePlayer();
  const key = `sample:${voice.id}`;
  const playing = useReadAloud((state) => state.key === key && state.status !== 'idle');
  return playing ? (
    <button type="button" className="button button-small button-quiet" onClick={() => player.stop()}>
      Stop the sample
    </button>
  ) : (
    <button
      type="button"
      className="button button-small button-quiet"
      aria-label={`Hear a sample of ${voice.label}`}
      onClick={() => void player.read(engine, { key, text: SAMPLE, format: 'plain', voiceId: voice.id })}
    >
      Hear a sample
    </button>
  );
}

/**
 * Settings › Voices: the voice that reads aloud (espeak-ng is always there; natural Piper voices
 * are installed here; Azure Speech when set up), a sample of each, and the reading speed.
 */
export function VoicesSection() {
  const voices = useVoices();
  const models = useModels();
  const update = useUpdateSettings();
  const sampleMessage = useReadAloud((state) => (state.key?.startsWith('sample:') ? state.message : null));
  const installable = (models.data ?? []).filter((model) => model.kind === 'tts');

  return (
    <section className="card settings-section" aria-labelledby="voices-heading">
      <h2 id="voices-heading" className="card-title">
        Voices
      </h2>
      <p className="muted">
        The voice that reads answers and pages aloud. espeak-ng works with nothing to download; a natural
        voice sounds far better once installed.
      </p>
      {voices.isPending ? (
        <Loading label="Loading voices…" />
      ) : voices.isError ? (
        <ErrorState error={voices.error} what="the voices" onRetry={() => void voices.refetch()} />
      ) : (
        <>
          <fieldset className="radio-group">
            <legend>Read aloud with</legend>
            {voices.data.voices
              .filter((voice) => voice.available)
              .map((voice) => (
                <div key={voice.id} className="row">
                  <label className="radio">
                    <input
                      type="radio"
                      name="read-aloud-voice"
                      value={voice.id}
                      checked={voices.data.current === voice.id}
                      onChange={() => update.mutate({ readAloudVoiceId: voice.id })}
                    />
                    {voice.label}
                    {voice.cloud ? (
                      <span className="badge badge-cloud">Cloud: the text is sent to Azure</span>
                    ) : null}
                  </label>
                  <SampleButton voice={voice} />
                </div>
              ))}
          </fieldset>
          {sampleMessage ? (
            <p className="text-error" role="alert">
              {sampleMessage}
            </p>
          ) : null}
          <div className="field">
            <label htmlFor="read-aloud-speed">Reading speed</label>
            <select
              id="read-aloud-speed"
              value={voices.data.speed}
              onChange={(event) => update.mutate({ readAloudSpeed: Number(event.target.value) })}
            >
              {READING_SPEEDS.map((speed) => (
                <option key={speed} value={speed}>
                  {speedLabel(speed)}
                </option>
              ))}
            </select>
          </div>
        </>
      )}
      <h3 className="subheading">Natural voices</h3>
      {models.isPending ? (
        <Loading label="Loading voices to install…" />
      ) : models.isError ? (
        <ErrorState error={models.error} what="the voices to install" onRetry={() => void models.refetch()} />
      ) : (
        <ul className="settings-stack" aria-label="Voices to install">
          {installable.map((model) => (
            <ModelItem key={model.id} model={model} />
          ))}
        </ul>
      )}
    </section>
  );
}
