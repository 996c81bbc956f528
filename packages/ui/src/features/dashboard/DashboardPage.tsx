import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { PageHeader } from '../../app/components/PageHeader';
import { EmptyState, ErrorState, Loading } from '../../app/components/States';
import { formatDateTime, formatDay, formatDaysAway, formatFullDate } from '../../app/format';
import { useNow } from '../../app/use-now';
import { classPath } from '../classes/class-link';
import { useClasses } from '../classes/queries';
import { lecturePath } from '../lectures/lecture-link';
import { formatLength } from '../lectures/lecture-text';
import { useLectures } from '../lectures/queries';
import { useDecks } from '../study/queries';
import { reviewPath } from '../study/study-links';
import { useWeekStart } from '../settings/queries';
import { upcoming, type UpcomingMeeting } from './upcoming';

const hhmm = (date: Date) => date.toTimeString().slice(0, 5);
const dayKey = (date: Date) => `${date.getFullYear()}-${date.getMonth()}-${date.getDate()}`;

function dayLabel(date: Date, now: Date): string {
  const today = new Date(now.getFullYear(), now.getMonth(), now.getDate());
  const tomorrow = new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1);
  if (dayKey(date) === dayKey(today)) return 'Today';
  if (dayKey(date) === dayKey(tomorrow)) return 'Tomorrow';
  return formatDay(date);
}

function groupByDay(meetings: UpcomingMeeting[]): UpcomingMeeting[][] {
  const groups = new Map<string, UpcomingMeeting[]>();
  for (const meeting of meetings) {
    const key = dayKey(meeting.start);
    groups.set(key, [...(groups.get(key) ?? []), meeting]);
  }
  return [...groups.values()];
}

function Section({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <section className="card" aria-labelledby={id}>
      <h2 id={id} className="card-title">
        {title}
      </h2>
      {children}
    </section>
  );
}

/** What is due today across the decks, per class, with the way into a session. */
function FlashcardsDue({ classNames }: { classNames: Map<string, string> }) {
  const decks = useDecks({});
  if (decks.isPending) return <Loading label="Loading your flashcards…" />;
  if (decks.isError)
    return <ErrorState error={decks.error} what="your flashcards" onRetry={() => void decks.refetch()} />;
  if (decks.data.length === 0)
    return (
      <EmptyState title="No flashcards yet">
        <p>
          <Link to="/study">Add a card or import an Anki deck</Link> to review here.
        </p>
      </EmptyState>
    );
  const perClass = new Map<string | null, number>();
  for (const deck of decks.data) {
    const due = deck.due.new + deck.due.learning + deck.due.review;
    perClass.set(deck.classId, (perClass.get(deck.classId) ?? 0) + due);
  }
  const total = [...perClass.values()].reduce((sum, due) => sum + due, 0);
  const rows = [...perClass].filter(([, due]) => due > 0);
  return (
    <>
      <p className="flashcards-due-total">
        <strong>{total}</strong> {total === 1 ? 'card' : 'cards'} to study today
      </p>
      {rows.length > 0 ? (
        <ul className="flashcards-due-classes" aria-label="Due per class">
          {rows.map(([classId, due]) => (
            <li key={classId ?? 'none'}>
              {classId ? (classNames.get(classId) ?? 'A class') : 'No class'}: {due}
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">Nothing is due until tomorrow.</p>
      )}
      <p className="flashcards-due-links">
        {total > 0 ? (
          <Link className="button button-primary" to={reviewPath({})}>
            Study now
          </Link>
        ) : null}{' '}
        <Link to="/study">Open your decks</Link>
      </p>
    </>
  );
}

const RECENT_LECTURES = 5;

/** The newest lectures, each a link to its page; an empty list says how to make one. */
function RecentLectures({ classNames }: { classNames: Map<string, string> }) {
  const lectures = useLectures(undefined);
  if (lectures.isPending) return <Loading label="Loading your lectures…" />;
  if (lectures.isError)
    return <ErrorState error={lectures.error} what="your lectures" onRetry={() => void lectures.refetch()} />;
  if (lectures.data.length === 0)
    return (
      <EmptyState title="No lectures yet">
        <p>
          <Link to="/lectures/record">Record a lecture</Link> or import its audio to see it here.
        </p>
      </EmptyState>
    );
  return (
    <ul className="recent-lectures">
      {lectures.data.slice(0, RECENT_LECTURES).map((lecture) => (
        <li key={lecture.id} className="recent-lecture">
          <Link to={lecturePath(lecture.id)}>{lecture.title}</Link>
          <span className="muted">
            {[
              lecture.classId ? classNames.get(lecture.classId) : undefined,
              formatDateTime(lecture.startedAt),
              lecture.status === 'recording' ? 'Recording now' : formatLength(lecture.durationMs),
            ]
              .filter(Boolean)
              .join(' · ')}
          </span>
        </li>
      ))}
    </ul>
  );
}

export function DashboardPage() {
  const now = useNow();
  const classes = useClasses(false);
  const weekStartsOn = useWeekStart();
  const list = classes.data ?? [];
  const next = upcoming(list, now, { days: 7, examDays: 60, weekStartsOn });

  return (
    <>
      <PageHeader title="Dashboard" description={`Today is ${formatFullDate(now)}.`} />
      {classes.isPending ? (
        <Loading label="Loading your week…" />
      ) : classes.isError ? (
        <ErrorState error={classes.error} what="your classes" onRetry={() => void classes.refetch()} />
      ) : (
        <div className="dashboard-grid">
          <Section id="next-heading" title="What's next">
            {list.length === 0 ? (
              <EmptyState title="Nothing scheduled yet">
                <p>
                  <Link to="/classes">Add your classes</Link> with their weekly meetings to see your week
                  here.
                </p>
              </EmptyState>
            ) : next.meetings.length === 0 ? (
              <EmptyState title="No class meetings in the next 7 days" />
            ) : (
              <div className="agenda">
                {groupByDay(next.meetings).map((day) => {
                  const first = day[0];
                  if (!first) return null;
                  const label = dayLabel(first.start, now);
                  return (
                    <div key={dayKey(first.start)} className="agenda-day">
                      <h3 className="agenda-date">{label}</h3>
                      <ul className="agenda-list" aria-label={label}>
                        {day.map((meeting) => (
                          <li key={`${meeting.classId}-${meeting.start.getTime()}`} className="agenda-item">
                            <span className="agenda-time">
                              {hhmm(meeting.start)}–{hhmm(meeting.end)}
                            </span>
                            <span
                              className="dot"
                              style={{ backgroundColor: meeting.color }}
                              aria-hidden="true"
                            />
                            <span className="agenda-what">
                              <Link to={classPath(meeting.classId)} className="class-link">
                                {meeting.className}
                              </Link>
                              {meeting.inProgress ? <span className="badge">Now</span> : null}
                            </span>
                            {meeting.location ? (
                              <span className="agenda-where">{meeting.location}</span>
                            ) : null}
                          </li>
                        ))}
                      </ul>
                    </div>
                  );
                })}
              </div>
            )}
          </Section>

          <Section id="exams-heading" title="Exams in the next 60 days">
            {next.exams.length === 0 ? (
              <EmptyState title="No exams coming up">
                <p>Exams you add to a class appear here with a countdown.</p>
              </EmptyState>
            ) : (
              <ul className="exam-list">
                {next.exams.map((exam) => (
                  <li key={exam.examId} className="exam-item">
                    <span className="dot" style={{ backgroundColor: exam.color }} aria-hidden="true" />
                    <span className="exam-what">
                      <strong>{exam.title}</strong> ·{' '}
                      <Link to={classPath(exam.classId)} className="class-link">
                        {exam.className}
                      </Link>
                    </span>
                    <span className="exam-when">
                      {formatDay(exam.at)}
                      {exam.time ? ` ${exam.time}` : ''}{' '}
                      <span className="muted">({formatDaysAway(exam.daysAway)})</span>
                    </span>
                  </li>
                ))}
              </ul>
            )}
          </Section>

          <Section id="classes-heading" title="Your classes">
            {list.length === 0 ? (
              <EmptyState title="No classes yet">
                <p>
                  <Link to="/classes">Add a class</Link> to get started.
                </p>
              </EmptyState>
            ) : (
              <ul className="chip-list">
                {list.map((cls) => (
                  <li key={cls.id} className="chip">
                    <span className="dot" style={{ backgroundColor: cls.color }} aria-hidden="true" />
                    <Link to={classPath(cls.id)} className="class-link">
                      {cls.name}
                    </Link>
                    {cls.code ? <span className="muted"> {cls.code}</span> : null}
                  </li>
                ))}
              </ul>
            )}
          </Section>

          <Section id="flashcards-heading" title="Flashcards due">
            <FlashcardsDue classNames={new Map(list.map((cls) => [cls.id, cls.name]))} />
          </Section>

          <Section id="lectures-heading" title="Recent lectures">
            <RecentLectures classNames={new Map(list.map((cls) => [cls.id, cls.name]))} />
          </Section>
        </div>
      )}
    </>
  );
}
