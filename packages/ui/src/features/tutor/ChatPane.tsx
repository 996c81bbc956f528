import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { useLocation } from 'react-router';
import type { StudyClass, TutorMessage, TutorStatus } from '@little-monster/core/contract';
import { EmptyState, ErrorState, Loading } from '../../app/components/States';
import type { ClassLookup } from '../classes/class-lookup';
import { Composer } from './Composer';
import { DeleteConversationDialog, RenameConversationDialog } from './ConversationDialogs';
import { scopeName } from './ConversationList';
import { NoEngineCallToAction } from './EnginePicker';
import { MessageItem } from './MessageItem';
import {
  useAsk,
  useConversation,
  useConversations,
  useCreateConversation,
  useRegenerate,
  useStopAnswer,
} from './queries';
import { isLive } from './stream-store';

/** Navigation state that asks the tutor page to put the cursor in the question field. */
export interface TutorLocationState {
  focusComposer?: boolean;
  /** A question to start the new conversation's composer with ("Ask about this page"). */
  draft?: string;
}

/**
 * Keeps the newest text in view while it is written, unless the student scrolled up to read;
 * a new conversation or a new message brings the view back down. With no messages there is
 * nothing to follow, so what is there (a call to action) is read from its top.
 */
function useStickToBottom(resetKey: string, follow: boolean) {
  const scroller = useRef<HTMLDivElement>(null);
  const content = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const box = scroller.current;
    const inner = content.current;
    if (!box || !inner || !follow) return;
    let pinned = true;
    // Where this hook last put the view: a scroll event from that (arriving after more text
    // grew the page) is not the student scrolling up.
    let placedAt = 0;
    const toBottom = () => {
      box.scrollTop = box.scrollHeight;
      placedAt = box.scrollTop;
    };
    const onScroll = () => {
      if (box.scrollHeight - box.scrollTop - box.clientHeight < 48) pinned = true;
      else if (box.scrollTop < placedAt - 4) pinned = false;
    };
    toBottom();
    box.addEventListener('scroll', onScroll, { passive: true });
    const observer =
      typeof ResizeObserver === 'function' ? new ResizeObserver(() => pinned && toBottom()) : null;
    observer?.observe(inner);
    return () => {
      box.removeEventListener('scroll', onScroll);
      observer?.disconnect();
    };
  }, [resetKey, follow]);
  return { scroller, content };
}

const findLastAnswer = (messages: readonly TutorMessage[]) =>
  [...messages].reverse().find((message) => message.role === 'assistant');

export interface ChatPaneProps {
  /** Shows or folds away the conversation list; first in the chat's header. */
  listToggle: ReactNode;
  conversationId: string | null;
  /** The list's class filter: a new conversation is about that class unless the student picks another. */
  filter: string | null | undefined;
  classes: ClassLookup;
  activeClasses: readonly StudyClass[];
  status: TutorStatus | undefined;
  onOpen(id: string): void;
  onDeleted(): void;
}

export function ChatPane({
  listToggle,
  conversationId,
  filter,
  classes,
  activeClasses,
  status,
  onOpen,
  onDeleted,
}: ChatPaneProps) {
  const titleId = useId();
  const scopeId = useId();
  const conversation = useConversation(conversationId);
  const everyConversation = useConversations(undefined);
  const create = useCreateConversation();
  const ask = useAsk();
  const stop = useStopAnswer();
  const regenerate = useRegenerate();
  const location = useLocation();
  // "Ask about this page" opens a new conversation with its question begun.
  const [drafts, setDrafts] = useState((): Record<string, string> => {
    const asked = (location.state as TutorLocationState | null)?.draft;
    return asked ? { new: asked } : {};
  });
  const [scopeChoice, setScopeChoice] = useState<string | null | undefined>(undefined);
  const [dialog, setDialog] = useState<'rename' | 'delete' | null>(null);
  const inputRef = useRef<HTMLTextAreaElement>(null);

  const draftKey = conversationId ?? 'new';
  const setDraft = (key: string, value: string) => setDrafts((all) => ({ ...all, [key]: value }));
  const newScope = scopeChoice !== undefined ? scopeChoice : (filter ?? null);
  const data = conversation.data;
  const messages = data?.messages ?? [];
  const lastAnswer = findLastAnswer(messages);
  const liveAnswer = lastAnswer && isLive(lastAnswer) ? lastAnswer : undefined;
  const noEngine = status !== undefined && status.engine === null;

  const { scroller, content } = useStickToBottom(`${conversationId}:${messages.length}`, messages.length > 0);

  const focusComposer = (location.state as TutorLocationState | null)?.focusComposer;
  useEffect(() => {
    if (!focusComposer) return;
    // After the shell has moved focus to the page heading (it does so on every new page).
    const frame = requestAnimationFrame(() => inputRef.current?.focus());
    return () => cancelAnimationFrame(frame);
  }, [focusComposer, location.key]);

  async function send(text: string) {
    let id = conversationId;
    setDraft(draftKey, '');
    try {
      if (!id) {
        id = (await create.mutateAsync({ classId: newScope })).id;
        onOpen(id);
      }
      await ask.mutateAsync({ conversationId: id, text });
    } catch {
      // The failure is in a toast; the question is not lost.
      setDraft(id ?? 'new', text);
    }
  }

  // The list follows renames and the title the engine gives from the first question.
  const listed = everyConversation.data?.find((item) => item.id === conversationId);
  const title = listed?.title ?? data?.conversation.title ?? (conversationId ? '' : 'New conversation');

  return (
    <section className="tutor-chat card" aria-labelledby={titleId}>
      <header className="tutor-chat-head">
        {listToggle}
        <div className="tutor-chat-title">
          <h2 id={titleId} className="card-title">
            {title || 'Conversation'}
          </h2>
          {data ? <p className="muted">About {scopeName(classes, data.conversation.classId)}</p> : null}
        </div>
        {data ? (
          <div className="row">
            <button type="button" className="button button-small" onClick={() => setDialog('rename')}>
              Rename
            </button>
            <button
              type="button"
              className="button button-small button-danger-quiet"
              onClick={() => setDialog('delete')}
            >
              Delete
            </button>
          </div>
        ) : null}
        {conversationId === null ? (
          <div className="field tutor-scope">
            <label htmlFor={scopeId}>About</label>
            <select
              id={scopeId}
              value={newScope ?? ''}
              onChange={(event) => setScopeChoice(event.target.value || null)}
            >
              <option value="">All classes</option>
              {activeClasses.map((cls) => (
                <option key={cls.id} value={cls.id}>
                  {cls.name}
                </option>
              ))}
            </select>
          </div>
        ) : null}
      </header>

      <div className="tutor-messages" ref={scroller}>
        <div ref={content}>
          {conversationId !== null && conversation.isPending ? (
            <Loading label="Loading the conversation…" />
          ) : conversation.isError ? (
            <ErrorState
              error={conversation.error}
              what="this conversation"
              onRetry={() => void conversation.refetch()}
            />
          ) : messages.length === 0 && !noEngine ? (
            <EmptyState title="Ask anything about your material">
              <p>
                Answers come from {newScope === null ? 'all your classes' : scopeName(classes, newScope)},
                with chips that open the page each point comes from.
              </p>
            </EmptyState>
          ) : null}
          <ol className="messages" aria-label="Messages">
            {messages.map((message) => (
              <MessageItem
                key={message.id}
                message={message}
                isLast={message.id === lastAnswer?.id}
                busy={regenerate.isPending || liveAnswer !== undefined}
                onRegenerate={(answer) => regenerate.mutate(answer)}
              />
            ))}
          </ol>
          {/* After the messages, where the view stays: it is about the next answer. */}
          {noEngine && status ? <NoEngineCallToAction status={status} /> : null}
        </div>
      </div>

      <Composer
        value={drafts[draftKey] ?? ''}
        onChange={(value) => setDraft(draftKey, value)}
        onSend={(text) => void send(text)}
        {...(liveAnswer ? { onStop: () => stop.mutate(liveAnswer.id) } : {})}
        sending={create.isPending || ask.isPending}
        stopping={stop.isPending}
        blockedReason={noEngine ? 'Set up a model first (see above).' : null}
        inputRef={inputRef}
      />

      {dialog === 'rename' && data ? (
        <RenameConversationDialog conversation={data.conversation} onClose={() => setDialog(null)} />
      ) : null}
      {dialog === 'delete' && data ? (
        <DeleteConversationDialog
          conversation={data.conversation}
          onClose={() => setDialog(null)}
          onDeleted={onDeleted}
        />
      ) : null}
    </section>
  );
}
