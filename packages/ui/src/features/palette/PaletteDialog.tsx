import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { createPortal } from 'react-dom';
import type { SearchHit } from '@little-monster/core/contract';
import { useUiStoreApi } from '../../app/ui-store';
import { describeLocation } from '../../app/source-link';
import { useSearch } from '../search/queries';
import { SnippetText } from '../search/SnippetText';
import { useDebouncedValue } from '../search/use-debounced-value';
import { matchCommands, type PaletteCommand } from './commands';

const SEARCH_DELAY_MS = 150;
const MAX_HITS = 6;

type PaletteOption =
  | { key: string; group: PaletteCommand['group']; command: PaletteCommand }
  | { key: string; group: 'In your library'; hit: SearchHit };

const GROUPS = ['Go to', 'Actions', 'In your library'] as const;

/** Live hits from the library for what is typed (two letters or more). */
function useLibraryHits(query: string): SearchHit[] {
  const settled = useDebouncedValue(query.trim(), SEARCH_DELAY_MS);
  const search = useSearch({ query: settled.length >= 2 ? settled : '', limit: MAX_HITS });
  return settled.length >= 2 ? (search.data?.hits ?? []) : [];
}

function OptionContent({ option }: { option: PaletteOption }) {
  if ('command' in option) return <span className="palette-option-label">{option.command.label}</span>;
  const { hit } = option;
  const where = describeLocation(hit);
  return (
    <>
      <span className="palette-option-label">
        {hit.title}
        {where ? <span className="muted"> · {where}</span> : null}
      </span>
      <span className="palette-option-snippet">
        <SnippetText snippet={hit.snippet} />
      </span>
    </>
  );
}

/**
 * A modal combobox: type to filter commands and search the library, arrows to choose, Enter
 * to run, Escape to close. Focus stays in the input; the active option is announced through
 * aria-activedescendant.
 */
export function PaletteDialog({
  commands,
  onRunHit,
  onClose,
}: {
  commands: readonly PaletteCommand[];
  onRunHit(hit: SearchHit): void;
  onClose(): void;
}) {
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const input = useRef<HTMLInputElement>(null);
  const store = useUiStoreApi();
  const listId = useId();
  const optionId = (index: number) => `${listId}-option-${index}`;
  const hits = useLibraryHits(query);

  // In the order shown, so an option's index is its place in the list.
  const options: PaletteOption[] = [
    ...matchCommands(commands, query).map((command) => ({ key: command.id, group: command.group, command })),
    ...hits.map((hit) => ({ key: `hit-${hit.chunkId}`, group: 'In your library' as const, hit })),
  ].sort((a, b) => GROUPS.indexOf(a.group) - GROUPS.indexOf(b.group));
  const activeIndex = Math.min(active, options.length - 1);

  useEffect(() => {
    const returnTo = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    store.getState().openModal();
    input.current?.focus();
    return () => {
      store.getState().closeModal();
      queueMicrotask(() => {
        if (returnTo?.isConnected && document.activeElement === document.body) returnTo.focus();
      });
    };
  }, [store]);

  useEffect(() => {
    document.getElementById(optionId(activeIndex))?.scrollIntoView?.({ block: 'nearest' });
  });

  function run(option: PaletteOption | undefined) {
    if (!option) return;
    // Close first: a command may open a dialog or a file picker of its own.
    onClose();
    if ('command' in option) option.command.run();
    else onRunHit(option.hit);
  }

  function onKeyDown(event: KeyboardEvent) {
    const count = options.length;
    switch (event.key) {
      case 'ArrowDown':
        event.preventDefault();
        if (count) setActive((activeIndex + 1) % count);
        break;
      case 'ArrowUp':
        event.preventDefault();
        if (count) setActive((activeIndex - 1 + count) % count);
        break;
      case 'Home':
        event.preventDefault();
        setActive(0);
        break;
      case 'End':
        event.preventDefault();
        setActive(Math.max(0, count - 1));
        break;
      case 'Enter':
        event.preventDefault();
        run(options[activeIndex]);
        break;
      case 'Escape':
        event.preventDefault();
        event.stopPropagation();
        onClose();
        break;
      case 'Tab':
        // The input is the only stop in here.
        event.preventDefault();
        break;
    }
  }

  return createPortal(
    <div
      className="dialog-backdrop palette-backdrop"
      onMouseDown={(event) => {
        if (event.target === event.currentTarget) onClose();
      }}
    >
      <div
        className="palette"
        role="dialog"
        aria-modal="true"
        aria-label="Command palette"
        onKeyDown={onKeyDown}
      >
        <input
          ref={input}
          className="palette-input"
          type="text"
          role="combobox"
          aria-label="Type a command or search your library"
          aria-expanded={options.length > 0}
          aria-controls={listId}
          aria-autocomplete="list"
          aria-activedescendant={options.length > 0 ? optionId(activeIndex) : undefined}
          placeholder="Type a command or search your library"
          autoComplete="off"
          spellCheck={false}
          value={query}
          onChange={(e) => {
            setQuery(e.target.value);
            setActive(0);
          }}
        />
        <div id={listId} role="listbox" aria-label="Commands and results" className="palette-list">
          {GROUPS.map((group) => {
            const inGroup = options.filter((option) => option.group === group);
            if (inGroup.length === 0) return null;
            const groupId = `${listId}-${group.replace(/\s+/g, '-')}`;
            return (
              <div key={group} role="group" aria-labelledby={groupId} className="palette-group">
                <div id={groupId} role="presentation" className="palette-group-label">
                  {group}
                </div>
                {inGroup.map((option) => {
                  const position = options.indexOf(option);
                  return (
                    <div
                      key={option.key}
                      id={optionId(position)}
                      role="option"
                      aria-selected={position === activeIndex}
                      className={`palette-option${position === activeIndex ? ' is-active' : ''}`}
                      onMouseMove={() => position !== activeIndex && setActive(position)}
                      onClick={() => run(option)}
                    >
                      <OptionContent option={option} />
                    </div>
                  );
                })}
              </div>
            );
          })}
        </div>
        {options.length === 0 ? <p className="palette-empty">Nothing matches “{query.trim()}”.</p> : null}
      </div>
    </div>,
    document.body,
  );
}
