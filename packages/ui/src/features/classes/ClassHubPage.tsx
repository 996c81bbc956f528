import { useId, type ReactNode } from 'react';
import { Link, useParams } from 'react-router';
import { BookOpen, CalendarClock, Layers, MessageSquare, Mic, NotebookPen, Sparkles } from 'lucide-react';
import type { StudyClass } from '@little-monster/core/contract';
import { PageHeader } from '../../app/components/PageHeader';
import { EmptyState, ErrorState, Loading } from '../../app/components/States';
import { formatDate, formatDateTime, formatDay, formatDaysAway } from '../../app/format';
import { useNow } from '../../app/use-now';
import { upcoming } from '../dashboard/upcoming';
import { lecturePath } from '../lectures/lecture-link';
import { formatLength } from '../lectures/lecture-text';
import { useLectures } from '../lectures/queries';
import { describePages, MATERIAL_TYPE_LABELS } from '../library/material-labels';
import { useMaterials } from '../library/queries';
import { notePath } from '../notes/note-link';
import { useNotesList } from '../notes/queries';
import { viewerPath } from '../library/viewer/viewer-link';
import { useWeekStart } from '../settings/queries';
import { studyPath, reviewPath } from '../study/study-links';
import { useDecks } from '../study/queries';
import type { TutorLocationState } from '../tutor/ChatPane';
import { useConversations } from '../tutor/queries';
import { useClasses } from './queries';

/** How many of each list the hub shows before "All …" leads to the page with all of them. */
const SHOWN = 5;

const hhmm = (date: Date) => date.toTimeString().slice(0, 5);

function HubSection({
  title,
  icon,
  more,
  children,
}: {
  title: string;
  icon: ReactNode;
  /** The page with everything of this kind for the class. */
  more?: { to: string; label: string };
  children: ReactNode;
}) {
  const headingId = useId();
  return (
    <section className="card hub-section" aria-labelledby={headingId}>
      <div className="hub-section-head">
        <h2 id={headingId} className="card-title">
          <span className="hub-icon" aria-hidden="true">
            {icon}
          </span>
          {title}
        </h2>
        {more ? (
          <Link to={more.to} className="hub-more">
            {more.label}
          </Link>
        ) : null}
      </div>
      {children}
    </section>
  );
}

function Schedule({ cls }: { cls: StudyClass }) {
  const now = useNow();
  const weekStartsOn = useWeekStart();
  const next = upcoming([cls], now, { days: 14, examDays: 3660, weekStartsOn });
  return (
    <>
      <HubSection title="Next meetings" icon={<CalendarClock size={18} />}>
        {next.meetings.length === 0 ? (
          <EmptyState title="No meetings in the next two weeks">
            {cls.schedule.length === 0 ? <p>Add the weekly meetings with Edit on the Classes page.</p> : null}
          </EmptyState>
        ) : (
          <ul className="hub-list" aria-label="Next meetings">
            {next.meetings.slice(0, SHOWN).map((meeting) => (
              <li key={meeting.start.getTime()} className="hub-row">
                <span>
                  {meeting.inProgress ? 'Now' : formatDay(meeting.start)}, {hhmm(meeting.start)}–
                  {hhmm(meeting.end)}
                </span>
                {meeting.location ? <span className="muted">{meeting.location}</span> : null}
              </li>
            ))}
          </ul>
        )}
      </HubSection>
      <HubSection title="Exams" icon={<Sparkles size={18} />}>
        {next.exams.length === 0 ? (
          <EmptyState title="No exams coming up">
            <p>Add an exam with Edit on the Classes page to count down to it here.</p>
          </EmptyState>
        ) : (
          <ul className="hub-list" aria-label="Exams">
            {next.exams.map((exam) => (
              <li key={exam.examId} className="hub-row">
                <span>
                  <strong>{exam.title}</strong> · {formatDay(exam.at)}
                  {exam.time ? ` ${exam.time}` : ''}
                </span>
                <span className="hub-countdown">{formatDaysAway(exam.daysAway)}</span>
              </li>
            ))}
          </ul>
        )}
      </HubSection>
    </>
  );
}

function Materials({ classId }: { classId: string }) {
  const materials = useMaterials({ classId, limit: SHOWN });
  const more = { to: `/library?class=${classId}`, label: 'All materials' };
  return (
    <HubSection title="Materials" icon={<BookOpen size={18} />} more={more}>
      {materials.isPending ? (
        <Loading label="Loading the materials…" />
      ) : materials.isError ? (
        <ErrorState error={materials.error} what="the materials" onRetry={() => void materials.refetch()} />
      ) : materials.data.items.length === 0 ? (
        <EmptyState title="No materials yet">
          <p>
            <Link to={more.to}>Import slides, PDFs or notes</Link> into this class.
          </p>
        </EmptyState>
      ) : (
        <>
          <ul className="hub-list" aria-label="Materials">
            {materials.data.items.map((material) => (
              <li key={material.id} className="hub-row">
                <Link to={viewerPath(material.id, {})}>{material.title}</Link>
                <span className="muted">
                  {MATERIAL_TYPE_LABELS[material.type]} · {describePages(material)}
                </span>
              </li>
            ))}
          </ul>
          {materials.data.total > materials.data.items.length ? (
            <p className="muted">{materials.data.total} materials in all.</p>
          ) : null}
        </>
      )}
    </HubSection>
  );
}

function Lectures({ classId }: { classId: string }) {
  const lectures = useLectures(classId);
  return (
    <HubSection
      title="Lectures"
      icon={<Mic size={18} />}
      more={{ to: `/lectures?class=${classId}`, label: 'All lectures' }}
    >
      {lectures.isPending ? (
        <Loading label="Loading the lectures…" />
      ) : lectures.isError ? (
        <ErrorState error={lectures.error} what="the lectures" onRetry={() => void lectures.refetch()} />
      ) : lectures.data.length === 0 ? (
        <EmptyState title="No lectures yet">
          <p>
            <Link to="/lectures/record">Record a lecture</Link> of this class.
          </p>
        </EmptyState>
      ) : (
        <ul className="hub-list" aria-label="Lectures">
          {lectures.data.slice(0, SHOWN).map((lecture) => (
            <li key={lecture.id} className="hub-row">
              <Link to={lecturePath(lecture.id)}>{lecture.title}</Link>
              <span className="muted">
                {formatDateTime(lecture.startedAt)} ·{' '}
                {lecture.status === 'recording' ? 'Recording now' : formatLength(lecture.durationMs)}
              </span>
            </li>
          ))}
        </ul>
      )}
    </HubSection>
  );
}

function Notes({ classId }: { classId: string }) {
  const notes = useNotesList({ classId });
  return (
    <HubSection
      title="Notes"
      icon={<NotebookPen size={18} />}
      more={{ to: `/notes?class=${classId}`, label: 'All notes' }}
    >
      {notes.isPending ? (
        <Loading label="Loading the notes…" />
      ) : notes.isError ? (
        <ErrorState error={notes.error} what="the notes" onRetry={() => void notes.refetch()} />
      ) : notes.data.length === 0 ? (
        <EmptyState title="No notes yet">
          <p>
            <Link to={`/notes?class=${classId}`}>Write a note</Link> for this class.
          </p>
        </EmptyState>
      ) : (
        <ul className="hub-list" aria-label="Notes">
          {notes.data.slice(0, SHOWN).map((note) => (
            <li key={note.id} className="hub-row">
              <Link to={notePath(note.id)}>{note.title}</Link>
              <span className="muted">{formatDateTime(note.updatedAt)}</span>
            </li>
          ))}
        </ul>
      )}
    </HubSection>
  );
}

function Decks({ classId }: { classId: string }) {
  const decks = useDecks({ classId });
  return (
    <HubSection
      title="Flashcards"
      icon={<Layers size={18} />}
      more={{ to: studyPath({ classId }), label: 'All decks' }}
    >
      {decks.isPending ? (
        <Loading label="Loading the decks…" />
      ) : decks.isError ? (
        <ErrorState error={decks.error} what="the decks" onRetry={() => void decks.refetch()} />
      ) : decks.data.length === 0 ? (
        <EmptyState title="No decks yet">
          <p>
            <Link to={studyPath({ classId })}>Add cards</Link> for this class in Study.
          </p>
        </EmptyState>
      ) : (
        <ul className="hub-list" aria-label="Decks">
          {decks.data.map((deck) => {
            const due = deck.due.learning + deck.due.review + deck.due.new;
            return (
              <li key={deck.id} className="hub-row">
                <span>
                  <strong>{deck.name}</strong> <span className="muted">· {deck.cards} cards</span>
                </span>
                {due > 0 ? (
                  <Link to={reviewPath({ deckId: deck.id })} className="button button-small">
                    Study {due} due
                  </Link>
                ) : (
                  <span className="muted">Nothing due today</span>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </HubSection>
  );
}

function Conversations({ classId }: { classId: string }) {
  const conversations = useConversations(classId);
  return (
    <HubSection
      title="Conversations"
      icon={<MessageSquare size={18} />}
      more={{ to: `/tutor?class=${classId}`, label: 'All conversations' }}
    >
      {conversations.isPending ? (
        <Loading label="Loading the conversations…" />
      ) : conversations.isError ? (
        <ErrorState
          error={conversations.error}
          what="the conversations"
          onRetry={() => void conversations.refetch()}
        />
      ) : conversations.data.length === 0 ? (
        <EmptyState title="No conversations yet">
          <p>Ask the tutor about this class to start one.</p>
        </EmptyState>
      ) : (
        <ul className="hub-list" aria-label="Conversations">
          {conversations.data.slice(0, SHOWN).map((conversation) => (
            <li key={conversation.id} className="hub-row">
              <Link to={`/tutor?conversation=${conversation.id}&class=${classId}`}>{conversation.title}</Link>
              <span className="muted">{formatDate(conversation.updatedAt)}</span>
            </li>
          ))}
        </ul>
      )}
    </HubSection>
  );
}

/**
 * A class's hub (`#/classes/:id`): its next meetings and exams, and everything the student has
 * for it (materials, lectures, notes, decks with what is due, conversations), each a link to its page,
 * with the tutor one click away, answering from this class's material.
 */
export function ClassHubPage() {
  const { classId = '' } = useParams();
  const classes = useClasses(true);
  const cls = classes.data?.find((item) => item.id === classId);

  if (classes.isPending) return <Loading label="Loading the class…" />;
  if (classes.isError)
    return <ErrorState error={classes.error} what="the class" onRetry={() => void classes.refetch()} />;
  if (!cls)
    return (
      <>
        <PageHeader title="Class not found" />
        <EmptyState title="This class is not in your classes any more">
          <p>
            It may have been deleted. <Link to="/classes">See your classes</Link>.
          </p>
        </EmptyState>
      </>
    );

  const details = [cls.code, cls.term, cls.instructor].filter(Boolean).join(' · ');
  return (
    <>
      <PageHeader
        title={cls.name}
        description={
          <>
            <span className="class-dot" style={{ backgroundColor: cls.color }} aria-hidden="true" />
            {details || 'Class'}
            {cls.archived ? <span className="badge">Archived</span> : null}
          </>
        }
        actions={
          <Link
            to={`/tutor?class=${cls.id}`}
            state={{ focusComposer: true } satisfies TutorLocationState}
            className="button button-primary"
          >
            <MessageSquare size={16} aria-hidden="true" />
            Ask the tutor about this class
          </Link>
        }
      />
      <div className="hub-grid">
        <Schedule cls={cls} />
        <Materials classId={cls.id} />
        <Lectures classId={cls.id} />
        <Notes classId={cls.id} />
        <Decks classId={cls.id} />
        <Conversations classId={cls.id} />
      </div>
    </>
  );
}
