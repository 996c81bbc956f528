import { useCallback, useEffect, useRef, useState } from 'react';

export type SaveState = 'saved' | 'waiting' | 'saving' | 'failed';

/**
 * Saves what is typed a moment after typing stops, one save at a time and always the latest
 * text: a save that fails keeps its text waiting (shown, and retried with the next change or
 * "Try again"); leaving the page or closing the window saves at once.
 */
export function useAutosave<T>(save: (value: T) => Promise<void>, delayMs = 700) {
  const saveRef = useRef(save);
  useEffect(() => {
    saveRef.current = save;
  }, [save]);
  const pending = useRef<{ value: T } | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const chain = useRef<Promise<void>>(Promise.resolve());
  const [state, setState] = useState<SaveState>('saved');
  const [error, setError] = useState<unknown>(null);

  const flush = useCallback((): Promise<void> => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = null;
    chain.current = chain.current.then(async () => {
      const next = pending.current;
      if (!next) return;
      pending.current = null;
      setState('saving');
      try {
        await saveRef.current(next.value);
        setError(null);
        setState(pending.current ? 'waiting' : 'saved');
      } catch (failure) {
        // Typed meanwhile: the newer text is the one to save; otherwise this one waits again.
        pending.current ??= next;
        setError(failure);
        setState('failed');
      }
    });
    return chain.current;
  }, []);

  const change = useCallback(
    (value: T) => {
      pending.current = { value };
      setState('waiting');
      if (timer.current) clearTimeout(timer.current);
      timer.current = setTimeout(() => void flush(), delayMs);
    },
    [delayMs, flush],
  );

  useEffect(() => {
    const onLeave = (event: BeforeUnloadEvent) => {
      if (!pending.current) return;
      void flush();
      // The browser asks before closing while the last words are on their way.
      event.preventDefault();
    };
    window.addEventListener('beforeunload', onLeave);
    return () => {
      window.removeEventListener('beforeunload', onLeave);
      // Leaving the page (or another note): what is waiting is saved now.
      void flush();
    };
  }, [flush]);

  return { state, error, change, flush };
}
