import { useEngine } from '../../app/engine-context';
import { usePlayer, useReadAloud } from './use-read-aloud';

export interface ReadAloudButtonProps {
  /** Names what is read, so only its own control turns into the player's. */
  readingKey: string;
  text: string;
  format: 'markdown' | 'plain';
  /** "the answer", "this page": completes the buttons' accessible names. */
  what: string;
}

/** "Read aloud" beside a text; while that text is read: pause or resume, and stop. */
export function ReadAloudButton({ readingKey, text, format, what }: ReadAloudButtonProps) {
  const engine = useEngine();
  const player = usePlayer();
  const status = useReadAloud((state) => (state.key === readingKey ? state.status : 'idle'));
  const message = useReadAloud((state) => (state.key === readingKey ? state.message : null));

  if (status === 'idle') {
    return (
      <>
        <button
          type="button"
          className="button button-small button-quiet"
          aria-label={`Read aloud ${what}`}
          disabled={text.trim() === ''}
          onClick={() => void player.read(engine, { key: readingKey, text, format })}
        >
          Read aloud
        </button>
        {message ? (
          <span role="status" className="text-error msg-note">
            {message}
          </span>
        ) : null}
      </>
    );
  }
  return (
    <>
      {status === 'paused' ? (
        <button type="button" className="button button-small" onClick={() => player.resume()}>
          Resume
        </button>
      ) : (
        <button
          type="button"
          className="button button-small"
          disabled={status === 'starting'}
          onClick={() => player.pause()}
        >
          Pause
        </button>
      )}
      <button
        type="button"
        className="button button-small button-quiet"
        aria-label={`Stop reading ${what}`}
        onClick={() => player.stop()}
      >
        Stop
      </button>
    </>
  );
}
