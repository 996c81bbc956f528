import { useId } from 'react';
import { Link } from 'react-router';
import type { StudyClass } from '@little-monster/core/contract';
import {
  formatDay,
  formatDaysAway,
  formatFullDate,
  formatMeeting,
  sortMeetings,
  type WeekStart,
} from '../../app/format';
import { parseLocalDate, upcoming } from '../dashboard/upcoming';
import { classPath } from './class-link';

export interface ClassCardProps {
  cls: StudyClass;
  now: Date;
  weekStartsOn: WeekStart;
  /** Position among the active classes, or null for an archived class (archived ones are not ordered). */
  position: { index: number; count: number } | null;
  onEdit(): void;
  onToggleArchived(): void;
  onDelete(): void;
  onMove(direction: -1 | 1): void;
}

const timeRange = (start: Date, end: Date) =>
  `${start.toTimeString().slice(0, 5)}–${end.toTimeString().slice(0, 5)}`;

export function ClassCard({
  cls,
  now,
  weekStartsOn,
  position,
  onEdit,
  onToggleArchived,
  onDelete,
  onMove,
}: ClassCardProps) {
  const nameId = useId();
  const next = upcoming([cls], now, { days: 7, examDays: 3660, weekStartsOn });
  const nextMeeting = next.meetings[0];
  const nextExam = next.exams[0];
  const details = [cls.code, cls.term, cls.instructor].filter(Boolean).join(' · ');
  const isFirst = position?.index === 0;
  const isLast = position !== null && position.index === position.count - 1;

  return (
    <li className={`class-card${cls.archived ? ' is-archived' : ''}`} aria-labelledby={nameId}>
      <span className="class-chip" style={{ backgroundColor: cls.color }} aria-hidden="true" />
      <div className="class-body">
        <h2 id={nameId} className="class-name">
          <Link to={classPath(cls.id)} className="class-link">
            {cls.name}
          </Link>
          {cls.archived ? <span className="badge">Archived</span> : null}
        </h2>
        {details ? <p className="class-details">{details}</p> : null}
        <dl className="facts class-facts">
          <div>
            <dt>Weekly schedule</dt>
            <dd>
              {cls.schedule.length === 0 ? (
                <span className="muted">No weekly meetings</span>
              ) : (
                <ul className="inline-list">
                  {sortMeetings(cls.schedule, weekStartsOn).map((meeting) => (
                    <li key={`${meeting.day}-${meeting.start}-${meeting.end}`}>{formatMeeting(meeting)}</li>
                  ))}
                </ul>
              )}
            </dd>
          </div>
          {!cls.archived ? (
            <div>
              <dt>Next meeting</dt>
              <dd>
                {nextMeeting ? (
                  `${nextMeeting.inProgress ? 'Now' : formatDay(nextMeeting.start)}, ${timeRange(nextMeeting.start, nextMeeting.end)}${
                    nextMeeting.location ? `, ${nextMeeting.location}` : ''
                  }`
                ) : (
                  <span className="muted">None in the next 7 days</span>
                )}
              </dd>
            </div>
          ) : null}
          {!cls.archived ? (
            <div>
              <dt>Next exam</dt>
              <dd>
                {nextExam ? (
                  `${nextExam.title}, ${formatDay(nextExam.at)}${nextExam.time ? ` ${nextExam.time}` : ''} (${formatDaysAway(nextExam.daysAway)})`
                ) : (
                  <span className="muted">None coming up</span>
                )}
              </dd>
            </div>
          ) : null}
          {cls.exams.length > 0 ? (
            <div>
              <dt>Exams</dt>
              <dd>
                <ul className="inline-list">
                  {cls.exams.map((exam) => {
                    const date = parseLocalDate(exam.date);
                    return (
                      <li key={exam.id}>
                        {exam.title}: {date ? formatFullDate(date) : exam.date}
                        {exam.time ? ` ${exam.time}` : ''}
                      </li>
                    );
                  })}
                </ul>
              </dd>
            </div>
          ) : null}
        </dl>
      </div>
      <div className="class-actions">
        <button type="button" className="button button-small" onClick={onEdit}>
          Edit
        </button>
        <button type="button" className="button button-small" onClick={onToggleArchived}>
          {cls.archived ? 'Unarchive' : 'Archive'}
        </button>
        <button type="button" className="button button-small button-danger-quiet" onClick={onDelete}>
          Delete
        </button>
        {position ? (
          <span className="move-buttons">
            {/* aria-disabled keeps the button focusable, so focus stays put after the last move */}
            <button
              type="button"
              className="button button-small"
              aria-disabled={isFirst}
              onClick={() => !isFirst && onMove(-1)}
            >
              Move up
            </button>
            <button
              type="button"
              className="button button-small"
              aria-disabled={isLast}
              onClick={() => !isLast && onMove(1)}
            >
              Move down
            </button>
          </span>
        ) : null}
      </div>
    </li>
  );
}
