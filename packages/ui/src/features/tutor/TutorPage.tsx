import { useCallback } from 'react';
import { useSearchParams } from 'react-router';
import { PageHeader } from '../../app/components/PageHeader';
import { ErrorState } from '../../app/components/States';
import { useClassLookup } from '../classes/class-lookup';
import { ChatPane, type TutorLocationState } from './ChatPane';
import { ACROSS_CLASSES, ConversationList } from './ConversationList';
import { EnginePicker } from './EnginePicker';
import { useTutorStatus } from './queries';

/**
 * The tutor: conversations on the left, the chat on the right. The open conversation and the
 * class filter live in the address (`/tutor?conversation=…&class=…`) so Back from a cited page
 * returns here; they are search parameters, not a path, so switching conversations keeps the
 * focus where the student is instead of moving it to the page heading.
 */
export function TutorPage() {
  const [params, setParams] = useSearchParams();
  const status = useTutorStatus();
  const { active, byId } = useClassLookup();
  const conversationId = params.get('conversation');
  const classParam = params.get('class');
  const filter = classParam === null ? undefined : classParam === ACROSS_CLASSES ? null : classParam;

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

  return (
    <>
      <PageHeader
        title="Tutor"
        description="Answers from your own material, with the page each point comes from."
        actions={status.data ? <EnginePicker status={status.data} /> : null}
      />
      {status.isError ? (
        <ErrorState error={status.error} what="the tutor’s models" onRetry={() => void status.refetch()} />
      ) : null}
      <div className="tutor-layout">
        <ConversationList
          filter={filter}
          onFilter={(next) =>
            setParams(
              withParams({ class: next === undefined ? null : next === null ? ACROSS_CLASSES : next }),
              {
                replace: true,
              },
            )
          }
          selectedId={conversationId}
          linkTo={linkTo}
          onNew={() =>
            setParams(withParams({ conversation: null }), {
              state: { focusComposer: true } satisfies TutorLocationState,
            })
          }
          classes={byId}
          activeClasses={active}
        />
        <ChatPane
          conversationId={conversationId}
          filter={filter}
          classes={byId}
          activeClasses={active}
          status={status.data}
          onOpen={(id) => setParams(withParams({ conversation: id }))}
          onDeleted={() => setParams(withParams({ conversation: null }), { replace: true })}
        />
      </div>
    </>
  );
}
