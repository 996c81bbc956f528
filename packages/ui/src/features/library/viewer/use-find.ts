import { useEffect, useState } from 'react';
import { useFindInMaterial } from '../queries';
import type { PageMark } from './highlight';

/**
 * The viewer's find (Ctrl+F): what is looked for, every match in the document (asked of the
 * engine, which holds every page's text), and the one the student is on.
 */
export function useFind(materialId: string, onPage: (page: number) => void) {
  const [open, setOpen] = useState(false);
  const [text, setText] = useState('');
  const [index, setIndex] = useState(0);
  const found = useFindInMaterial(materialId, open ? text : '');
  const matches = (open && text.trim() && found.data?.matches) || [];
  const current = matches.length ? matches[Math.min(index, matches.length - 1)] : undefined;

  // The page of the match the student is on is the page shown.
  const currentPage = current?.page;
  const currentKey = current ? `${current.page}:${current.start}` : undefined;
  useEffect(() => {
    if (currentPage !== undefined) onPage(currentPage);
  }, [currentKey]); // eslint-disable-line react-hooks/exhaustive-deps

  const step = (by: 1 | -1) =>
    matches.length &&
    setIndex((at) => (Math.min(at, matches.length - 1) + by + matches.length) % matches.length);

  /** The matches on a page, the current one marked apart. */
  const marksOn = (page: number): PageMark[] =>
    matches
      .filter((match) => match.page === page)
      .map((match) => ({
        start: match.start,
        end: match.end,
        tone: match === current ? 'current' : 'match',
      }));

  return {
    open,
    text,
    /** A new search starts at its first match. */
    setText: (next: string) => {
      setText(next);
      setIndex(0);
    },
    show: () => setOpen(true),
    close: () => {
      setOpen(false);
      setText('');
    },
    next: () => step(1),
    previous: () => step(-1),
    matches,
    position: current ? Math.min(index, matches.length - 1) + 1 : 0,
    truncated: found.data?.truncated ?? false,
    searching: found.isFetching,
    error: found.error,
    marksOn,
  };
}

export type Find = ReturnType<typeof useFind>;
