import { useCallback, useId, useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';
import { PanelLeftClose, PanelLeftOpen } from 'lucide-react';
import type { TutorSource } from '@little-monster/core/contract';
import { PageHeader } from '../../app/components/PageHeader';
import { ErrorState } from '../../app/components/States';
import { useClassLookup } from '../classes/class-lookup';
import { ChatPane, type TutorLocationState } from './ChatPane';
import { ACROSS_CLASSES, ConversationList } from './ConversationList';
import { EnginePicker } from './EnginePicker';
import { useTutorStatus } from './queries';
import { SourcePanel } from './SourcePanel';
import { SourcePanelContext, type SourcePanelControl } from './source-panel-context';

/**
 * Below this window width the conversation list lies over the chat (tutor.css: the page is then
 * under 700 px wide), so it starts folded away, leaving the chat its room.
 */
const NARROW_WINDOW = '(max-width: 999px)';
const isNarrowWindow = () =>
  typeof window.matchMedia === 'function' && window.matchMedia(NARROW_WINDOW).matches;

/**
 * The tutor: conversations on the left (folded away on a narrow window), the chat in the
 * middle, and a cited passage on the right when one is open. The page fills the window: only
 * the messages scroll, so the question field is always in view.
 *
 * The open conversation and the class filter live in the address (`/tutor?conversation=…&class=…`)
 * so Back from a cited page returns here; they are search parameters, not a path, so switching
 * conversations keeps the focus where the student is instead of moving it to the page heading.
 */
export function TutorPage() {
  const [params, setParams] = useSearchParams();
  const status = useTutorStatus();
  const { active, byId } = useClassLookup();
  const listId = useId();
  const [listOpen, setListOpen] = useState(() => !isNarrowWindow());
  // A passage belongs to the conversation that cited it: opening another conversation closes it.
  const [opened, setOpened] = useState<{ conversationId: string | null; source: TutorSource } | null>(null);
  const conversationId = params.get('conversation');
  const classParam = params.get('class');
  const filter = classParam === null ? undefined : classParam === ACROSS_CLASSES ? null : classParam;

  const source = opened?.conversationId === conversationId ? opened.source : null;
  const panel = useMemo<SourcePanelControl>(
    () => ({ open: (next) => setOpened({ conversationId, source: next }), current: source }),
    [conversationId, source],
  );

  const withParams = useCallback(
    (patch: Record<string, string | null>) => {
      const next = new URLSearchParams(params);
      for (const [name, value] of Object.entries(patch)) {
        if (value === null) next.delete(name);
        else next.set(name, value);
      }
      return next;
    },
    [params],
  );
  const linkTo = (id: string) => `?${withParams({ conversation: id }).toString()}`;
  // On a narrow window the list lies over the chat: it folds away once a conversation is chosen.
  const afterPick = () => {
    if (isNarrowWindow()) setListOpen(false);
  };

  const listToggle = (
    <button
      type="button"
      className="icon-button"
      aria-expanded={listOpen}
      aria-controls={listId}
      aria-label={listOpen ? 'Hide conversations' : 'Show conversations'}
      title={listOpen ? 'Hide conversations' : 'Show conversations'}
      onClick={() => setListOpen((open) => !open)}
    >
      {listOpen ? (
        <PanelLeftClose size={18} aria-hidden="true" />
      ) : (
        <PanelLeftOpen size={18} aria-hidden="true" />
      )}
    </button>
  );

  return (
    <div className="tutor-page page-fill">
      <PageHeader
        title="Tutor"
        description="Answers from your own material, with the page each point comes from."
        actions={status.data ? <EnginePicker status={status.data} /> : null}
      />
      {status.isError ? (
        <ErrorState error={status.error} what="the tutor’s models" onRetry={() => void status.refetch()} />
      ) : null}
      <SourcePanelContext.Provider value={panel}>
        <div className="tutor-layout">
          <ConversationList
            id={listId}
            hidden={!listOpen}
            onClose={() => setListOpen(false)}
            filter={filter}
            onFilter={(next) =>
              setParams(
                withParams({ class: next === undefined ? null : next === null ? ACROSS_CLASSES : next }),
                { replace: true },
              )
            }
            selectedId={conversationId}
            linkTo={linkTo}
            onPick={afterPick}
            onNew={() => {
              afterPick();
              setParams(withParams({ conversation: null }), {
                state: { focusComposer: true } satisfies TutorLocationState,
              });
            }}
            classes={byId}
            activeClasses={active}
          />
          <ChatPane
            listToggle={listToggle}
            conversationId={conversationId}
            filter={filter}
            classes={byId}
            activeClasses={active}
            status={status.data}
            onOpen={(id) => setParams(withParams({ conversation: id }))}
            onDeleted={() => setParams(withParams({ conversation: null }), { replace: true })}
          />
          {source ? <SourcePanel source={source} onClose={() => setOpened(null)} /> : null}
        </div>
      </SourcePanelContext.Provider>
    </div>
  );
}
