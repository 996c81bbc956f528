import { useEffect, useId, useRef, useState, type FormEvent, type ReactElement, type ReactNode } from 'react';
import type { StudyClass } from '@little-monster/core/contract';
import { Dialog, FormDialogActions } from '../../app/components/Dialog';
import { describedByNotes, FieldNotes } from '../../app/components/FieldNotes';
import { describeFieldPath } from '../../app/error-messages';
import { WEEKDAY_NAMES, weekdaysInOrder, type WeekStart } from '../../app/format';
import { useUiStoreApi } from '../../app/ui-store';
import { isRpcCallError } from '../../transport/client';
import {
  changedFields,
  emptyForm,
  formFromClass,
  formToInput,
  newExamRow,
  newMeetingRow,
  splitIssues,
  type ClassFormValues,
  type ExamRow,
  type MeetingRow,
} from './class-form';
import { CLASS_ERROR_TEXTS } from './class-error-texts';
import { useSaveClass } from './queries';

interface FieldProps {
  label: string;
  /** The field's path in the engine's INVALID_INPUT details, e.g. `schedule.0.start`. */
  path: string;
  errors: Record<string, string>;
  hint?: string;
  className?: string;
  children: (props: {
    id: string;
    'aria-invalid': boolean;
    'aria-describedby'?: string;
    'data-path': string;
  }) => ReactElement;
}

/** A labelled control with its error (from the engine) right below it. */
function Field({ label, path, errors, hint, className, children }: FieldProps) {
  const id = useId();
  const error = errors[path];
  const describedBy = describedByNotes(id, { hint, error });
  return (
    <div className={`field ${className ?? ''}`}>
      <label htmlFor={id}>{label}</label>
      {children({
        id,
        'aria-invalid': Boolean(error),
        ...(describedBy ? { 'aria-describedby': describedBy } : {}),
        'data-path': path,
      })}
      <FieldNotes id={id} hint={hint} error={error} />
    </div>
  );
}

function RowGroup({
  label,
  kind,
  children,
  onRemove,
}: {
  label: string;
  kind: 'meeting' | 'exam';
  children: ReactNode;
  onRemove(): void;
}) {
  return (
    <div role="group" aria-label={label} className={`form-row form-row-${kind}`}>
      {children}
      <button
        type="button"
        className="button button-quiet row-remove"
        aria-label={`Remove ${label.toLowerCase()}`}
        onClick={onRemove}
      >
        Remove
      </button>
    </div>
  );
}

const withoutPaths = (errors: Record<string, string>, drop: (path: string) => boolean) =>
  Object.fromEntries(Object.entries(errors).filter(([path]) => !drop(path)));

export interface ClassFormDialogProps {
  /** The class to edit; without one the dialog creates a new class. */
  editing?: StudyClass;
  weekStartsOn: WeekStart;
  onClose(): void;
}

export function ClassFormDialog({ editing, weekStartsOn, onClose }: ClassFormDialogProps) {
  const [values, setValues] = useState<ClassFormValues>(() =>
    editing ? formFromClass(editing) : emptyForm(),
  );
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [general, setGeneral] = useState<string[]>([]);
  const [focusPath, setFocusPath] = useState<string | null>(null);
  const form = useRef<HTMLFormElement>(null);
  const save = useSaveClass();
  const store = useUiStoreApi();
  const days = weekdaysInOrder(weekStartsOn);

  // Move focus after a render: to the first invalid field, or to a row just added.
  useEffect(() => {
    if (!focusPath || !form.current) return;
    const target =
      focusPath === 'invalid'
        ? form.current.querySelector<HTMLElement>('[aria-invalid="true"]')
        : form.current.querySelector<HTMLElement>(`[data-path="${focusPath}"]`);
    (target ?? form.current.querySelector<HTMLElement>('.form-alert'))?.focus();
    setFocusPath(null);
  }, [focusPath]);

  function set<K extends keyof ClassFormValues>(key: K, value: ClassFormValues[K], path: string = key) {
    setValues((current) => ({ ...current, [key]: value }));
    if (errors[path]) setErrors((current) => withoutPaths(current, (p) => p === path));
  }

  function setMeeting(index: number, patch: Partial<MeetingRow>) {
    const field = Object.keys(patch)[0] ?? '';
    set(
      'schedule',
      values.schedule.map((row, i) => (i === index ? { ...row, ...patch } : row)),
      `schedule.${index}.${field}`,
    );
  }

  function setExam(index: number, patch: Partial<ExamRow>) {
    const field = Object.keys(patch)[0] ?? '';
    set(
      'exams',
      values.exams.map((row, i) => (i === index ? { ...row, ...patch } : row)),
      `exams.${index}.${field}`,
    );
  }

  /** Adding or removing rows renumbers them, so errors from the last save no longer line up. */
  function setRows<K extends 'schedule' | 'exams'>(key: K, rows: ClassFormValues[K], focus: string | null) {
    setValues((current) => ({ ...current, [key]: rows }));
    setErrors((current) => withoutPaths(current, (path) => path.startsWith(`${key}.`)));
    setFocusPath(focus);
  }

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    setGeneral([]);
    const input = formToInput(values);
    let request: Parameters<typeof save.mutate>[0];
    if (editing) {
      const patch = changedFields(editing, input);
      if (Object.keys(patch).length === 0) {
        onClose();
        return;
      }
      request = { id: editing.id, patch };
    } else {
      request = { input };
    }
    save.mutate(request, {
      onSuccess(saved) {
        store
          .getState()
          .pushToast({ tone: 'success', title: editing ? `Saved “${saved.name}”` : `Added “${saved.name}”` });
        onClose();
      },
      onError(error) {
        if (!isRpcCallError(error, 'INVALID_INPUT')) return;
        const { fields, general: other } = splitIssues(error.fieldIssues);
        setErrors(fields);
        const lines = other.map(
          (issue) => `${describeFieldPath(issue.path, CLASS_ERROR_TEXTS)}: ${issue.message}`,
        );
        if (lines.length === 0 && Object.keys(fields).length === 0) lines.push(error.message);
        setGeneral(lines);
        setFocusPath('invalid');
      },
    });
  }

  return (
    <Dialog title={editing ? 'Edit class' : 'New class'} onClose={onClose} size="large">
      <form ref={form} noValidate onSubmit={onSubmit} className="class-form" aria-busy={save.isPending}>
        {general.length > 0 ? (
          <div className="form-alert" role="alert" tabIndex={-1}>
            <p>This class could not be saved:</p>
            <ul>
              {general.map((line) => (
                <li key={line}>{line}</li>
              ))}
            </ul>
          </div>
        ) : null}

        <div className="form-grid">
          <Field label="Name" path="name" errors={errors} className="span-2">
            {(props) => (
              <input
                {...props}
                type="text"
                value={values.name}
                aria-required="true"
                autoComplete="off"
                onChange={(e) => set('name', e.target.value)}
              />
            )}
          </Field>
          <Field label="Code" path="code" errors={errors} hint="For example MATH 101">
            {(props) => (
              <input
                {...props}
                type="text"
                value={values.code}
                autoComplete="off"
                onChange={(e) => set('code', e.target.value)}
              />
            )}
          </Field>
          <Field label="Term" path="term" errors={errors} hint="For example Autumn 2026">
            {(props) => (
              <input
                {...props}
                type="text"
                value={values.term}
                autoComplete="off"
                onChange={(e) => set('term', e.target.value)}
              />
            )}
          </Field>
          <Field label="Instructor" path="instructor" errors={errors}>
            {(props) => (
              <input
                {...props}
                type="text"
                value={values.instructor}
                autoComplete="off"
                onChange={(e) => set('instructor', e.target.value)}
              />
            )}
          </Field>
          <Field label="Colour" path="color" errors={errors}>
            {(props) => (
              <input
                {...props}
                type="color"
                className="color-input"
                value={values.color}
                onChange={(e) => set('color', e.target.value)}
              />
            )}
          </Field>
        </div>

        <fieldset className="form-section">
          <legend>Weekly schedule</legend>
          {values.schedule.length === 0 ? <p className="muted">No weekly meetings yet.</p> : null}
          {values.schedule.map((row, index) => (
            <RowGroup
              key={row.key}
              label={`Meeting ${index + 1}`}
              kind="meeting"
              onRemove={() =>
                setRows(
                  'schedule',
                  values.schedule.filter((r) => r.key !== row.key),
                  'add-meeting',
                )
              }
            >
              <Field label="Day" path={`schedule.${index}.day`} errors={errors}>
                {(props) => (
                  <select
                    {...props}
                    value={row.day}
                    onChange={(e) => setMeeting(index, { day: Number(e.target.value) })}
                  >
                    {days.map((day) => (
                      <option key={day} value={day}>
                        {WEEKDAY_NAMES[day]}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
              <Field label="Start" path={`schedule.${index}.start`} errors={errors}>
                {(props) => (
                  <input
                    {...props}
                    type="time"
                    value={row.start}
                    onChange={(e) => setMeeting(index, { start: e.target.value })}
                  />
                )}
              </Field>
              <Field label="End" path={`schedule.${index}.end`} errors={errors}>
                {(props) => (
                  <input
                    {...props}
                    type="time"
                    value={row.end}
                    onChange={(e) => setMeeting(index, { end: e.target.value })}
                  />
                )}
              </Field>
              <Field label="Location" path={`schedule.${index}.location`} errors={errors} className="grow">
                {(props) => (
                  <input
                    {...props}
                    type="text"
                    value={row.location}
                    placeholder="Optional"
                    onChange={(e) => setMeeting(index, { location: e.target.value })}
                  />
                )}
              </Field>
            </RowGroup>
          ))}
          <button
            type="button"
            className="button"
            data-path="add-meeting"
            onClick={() =>
              setRows(
                'schedule',
                [...values.schedule, newMeetingRow(values.schedule.at(-1))],
                `schedule.${values.schedule.length}.day`,
              )
            }
          >
            Add meeting
          </button>
        </fieldset>

        <fieldset className="form-section">
          <legend>Exams</legend>
          {values.exams.length === 0 ? <p className="muted">No exams yet.</p> : null}
          {values.exams.map((row, index) => (
            <RowGroup
              key={row.key}
              label={`Exam ${index + 1}`}
              kind="exam"
              onRemove={() =>
                setRows(
                  'exams',
                  values.exams.filter((r) => r.key !== row.key),
                  'add-exam',
                )
              }
            >
              <Field label="Title" path={`exams.${index}.title`} errors={errors} className="grow">
                {(props) => (
                  <input
                    {...props}
                    type="text"
                    value={row.title}
                    onChange={(e) => setExam(index, { title: e.target.value })}
                  />
                )}
              </Field>
              <Field label="Date" path={`exams.${index}.date`} errors={errors} className="date">
                {(props) => (
                  <input
                    {...props}
                    type="date"
                    value={row.date}
                    onChange={(e) => setExam(index, { date: e.target.value })}
                  />
                )}
              </Field>
              <Field label="Time (optional)" path={`exams.${index}.time`} errors={errors}>
                {(props) => (
                  <input
                    {...props}
                    type="time"
                    value={row.time}
                    onChange={(e) => setExam(index, { time: e.target.value })}
                  />
                )}
              </Field>
            </RowGroup>
          ))}
          <button
            type="button"
            className="button"
            data-path="add-exam"
            onClick={() =>
              setRows('exams', [...values.exams, newExamRow()], `exams.${values.exams.length}.title`)
            }
          >
            Add exam
          </button>
        </fieldset>

        <FormDialogActions submitLabel="Save" pending={save.isPending} onCancel={onClose} />
      </form>
    </Dialog>
  );
}
