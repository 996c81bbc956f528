import { useId } from 'react';
import { Link } from 'react-router';
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
    <section className="tutor-sidebar" aria-labelledby={headingId}>
      <div className="tutor-sidebar-head">
        <h2 id={headingId} className="card-title">
          Conversations
        </h2>
        <button type="button" className="button button-primary button-small" onClick={onNew}>
          New conversation
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
