import { useId, type FormEvent, type KeyboardEvent, type RefObject } from 'react';

export interface ComposerProps {
  value: string;
  onChange(value: string): void;
  onSend(text: string): void;
  /** While an answer is being written: Stop replaces Send. */
  onStop?: () => void;
  sending: boolean;
  stopping: boolean;
  /** Why nothing can be sent now (no model), shown under the field. */
  blockedReason?: string | null;
  inputRef: RefObject<HTMLTextAreaElement | null>;
}

/** The question field: Enter sends, Shift+Enter starts a new line. */
export function Composer({
  value,
  onChange,
  onSend,
  onStop,
  sending,
  stopping,
  blockedReason,
  inputRef,
}: ComposerProps) {
  const id = useId();
  const hintId = useId();
  const canSend = !sending && !onStop && !blockedReason && value.trim().length > 0;

  function submit(event?: FormEvent) {
    event?.preventDefault();
    if (canSend) onSend(value.trim());
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    // Not while an input method is composing a character: there Enter confirms the character.
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      submit();
    }
  }

  return (
    <form className="composer" onSubmit={submit}>
      <label htmlFor={id} className="visually-hidden">
        Ask the tutor
      </label>
      <textarea
        ref={inputRef}
        id={id}
        value={value}
        rows={Math.min(8, Math.max(2, value.split('\n').length))}
        placeholder="Ask about your material…"
        aria-describedby={hintId}
        onChange={(event) => onChange(event.target.value)}
        onKeyDown={onKeyDown}
      />
      <div className="composer-foot">
        <p id={hintId} className={blockedReason ? 'field-hint text-error' : 'field-hint'}>
          {blockedReason ?? 'Enter to send, Shift+Enter for a new line.'}
        </p>
        {onStop ? (
          <button type="button" className="button" onClick={onStop} disabled={stopping}>
            Stop
          </button>
        ) : (
          <button type="submit" className="button button-primary" disabled={!canSend}>
            {sending ? 'Sending…' : 'Send'}
          </button>
        )}
      </div>
    </form>
  );
}
