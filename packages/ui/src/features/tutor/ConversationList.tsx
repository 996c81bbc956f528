import { useId } from 'react';
import { Link } from 'react-router';
import { X } from 'lucide-react';
import type { StudyClass } from '@little-monster/core/contract';
import { EmptyState, ErrorState, Loading } from '../../app/components/States';
import { formatDate } from '../../app/format';
import { classNameOf, type ClassLookup } from '../classes/class-lookup';
import { useConversations } from './queries';

/** The `class` address value for "conversations across all classes". */
export const ACROSS_CLASSES = 'all-classes';

export const scopeName = (classes: ClassLookup, classId: string | null) =>
  classId === null ? 'All classes' : classNameOf(classes, classId);

export interface ConversationListProps {
  id: string;
  /** Folded away (the toggle beside the chat shows it again). */
  hidden: boolean;
  onClose(): void;
  /** A conversation was chosen from the list. */
  onPick(): void;
  /** undefined: every conversation; null: those across all classes; an id: that class's. */
  filter: string | null | undefined;
  onFilter(filter: string | null | undefined): void;
  selectedId: string | null;
  /** The address (search part) that opens a conversation. */
  linkTo(id: string): string;
  onNew(): void;
  classes: ClassLookup;
  activeClasses: readonly StudyClass[];
}

export function ConversationList({
  id,
  hidden,
  onClose,
  onPick,
  filter,
  onFilter,
  selectedId,
  linkTo,
  onNew,
  classes,
  activeClasses,
}: ConversationListProps) {
  const headingId = useId();
  const filterId = useId();
  const list = useConversations(filter);
  const filterValue = filter === undefined ? '' : filter === null ? ACROSS_CLASSES : filter;
  // An archived class chosen earlier still shows as chosen.
  const shown = activeClasses.some((cls) => cls.id === filter)
    ? activeClasses
    : [
        ...activeClasses,
        ...(typeof filter === 'string' && classes.get(filter) ? [classes.get(filter)!] : []),
      ];

  return (
    <section
      id={id}
      hidden={hidden}
      className="tutor-sidebar"
      aria-labelledby={headingId}
      onKeyDown={(event) => {
        // Where the list lies over the chat, Escape folds it away like any drawer.
        if (event.key === 'Escape' && !event.defaultPrevented) onClose();
      }}
    >
      <div className="tutor-sidebar-head">
        <h2 id={headingId} className="card-title">
          Conversations
        </h2>
        <button type="button" className="button button-primary button-small" onClick={onNew}>
          New conversation
        </button>
        {/* Only where the list lies over the chat (and over the chat's own toggle). */}
        <button
          type="button"
          className="icon-button tutor-sidebar-close"
          aria-label="Hide conversations"
          onClick={onClose}
        >
          <X size={18} aria-hidden="true" />
        </button>
      </div>
      <div className="field">
        <label htmlFor={filterId}>Show</label>
        <select
          id={filterId}
          value={filterValue}
          onChange={(event) => {
            const value = event.target.value;
            onFilter(value === '' ? undefined : value === ACROSS_CLASSES ? null : value);
          }}
        >
          <option value="">Every conversation</option>
          <option value={ACROSS_CLASSES}>Across all classes</option>
          {shown.map((cls) => (
            <option key={cls.id} value={cls.id}>
              {cls.name}
            </option>
          ))}
        </select>
      </div>
      {list.isPending ? (
        <Loading label="Loading conversations…" />
      ) : list.isError ? (
        <ErrorState error={list.error} what="your conversations" onRetry={() => void list.refetch()} />
      ) : list.data.length === 0 ? (
        <EmptyState title="No conversations yet">
          <p>Ask a question to start one.</p>
        </EmptyState>
      ) : (
        <ul className="conversation-list" aria-label="Conversations">
          {list.data.map((conversation) => (
            <li key={conversation.id}>
              <Link
                to={linkTo(conversation.id)}
                className="conversation-link"
                onClick={onPick}
                aria-current={conversation.id === selectedId ? 'page' : undefined}
              >
                <span className="conversation-title">{conversation.title}</span>
                <span className="conversation-meta">
                  {scopeName(classes, conversation.classId)} · {formatDate(conversation.updatedAt)}
                </span>
              </Link>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
