import { useEffect, useRef } from 'react';
import { useEngine } from '../../app/engine-context';
import { useUpdateSettings } from '../settings/queries';
import { useVoices } from './queries';
import type { PlayingSentence } from './read-aloud-player';
import { READING_SPEEDS, speedLabel } from './speed';
import { usePlayer, useReadAloud } from './use-read-aloud';

/** The sentence being read, as the student's text has it, with the word being spoken marked. */
function SpokenSentence({
  text,
  sentence,
  word,
}: {
  text: string;
  sentence: PlayingSentence;
  word: number | null;
}) {
  const spoken = word === null ? null : sentence.words?.[word];
  if (!spoken || spoken.start < sentence.start || spoken.end > sentence.end)
    return <mark className="reading-sentence">{text.slice(sentence.start, sentence.end)}</mark>;
  return (
    <span className="reading-sentence">
      {text.slice(sentence.start, spoken.start)}
      <mark aria-current="true">{text.slice(spoken.start, spoken.end)}</mark>
      {text.slice(spoken.end, sentence.end)}
    </span>
  );
}

/**
 * The player: its <audio> element (always mounted, so reading survives moving between pages),
 * and while something is read, the sentence being spoken, its place, the speed, pause and stop.
 */
export function ReadAloudBar() {
  const engine = useEngine();
  const player = usePlayer();
  const audio = useRef<HTMLAudioElement>(null);
  useEffect(() => {
    player.attach(audio.current);
    return () => player.attach(null);
  }, [player]);
  const { status, text, sentence, word } = useReadAloud((state) => state);
  const voices = useVoices();
  const updateSettings = useUpdateSettings();
  const speed = voices.data?.speed ?? 1;

  function changeSpeed(next: number) {
    updateSettings.mutate({ readAloudSpeed: next });
    void player.changeSpeed(engine, next);
  }

  return (
    <>
      <audio ref={audio} aria-label="Read-aloud audio" hidden />
      {status === 'idle' ? null : (
        <section className="read-aloud-bar" aria-label="Reading aloud">
          <p className="read-aloud-now" aria-live="off">
            {sentence ? (
              <SpokenSentence text={text} sentence={sentence} word={word} />
            ) : (
              <span className="muted">Preparing the voice…</span>
            )}
          </p>
          <div className="row">
            {sentence ? (
              <span className="muted">
                Sentence {sentence.index + 1} of {sentence.count}
              </span>
            ) : null}
            {status === 'waiting' ? <span className="muted">Waiting for the voice…</span> : null}
            <label className="inline-field">
              Speed
              <select value={speed} onChange={(event) => changeSpeed(Number(event.target.value))}>
                {READING_SPEEDS.map((option) => (
                  <option key={option} value={option}>
                    {speedLabel(option)}
                  </option>
                ))}
              </select>
            </label>
            {status === 'paused' ? (
              <button type="button" className="button button-small" onClick={() => player.resume()}>
                Resume
              </button>
            ) : (
              <button type="button" className="button button-small" onClick={() => player.pause()}>
                Pause
              </button>
            )}
            <button type="button" className="button button-small" onClick={() => player.stop()}>
              Stop reading
            </button>
          </div>
        </section>
      )}
    </>
  );
}
