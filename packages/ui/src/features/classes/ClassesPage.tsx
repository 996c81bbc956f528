import { useState } from 'react';
import { useLocation, useNavigate } from 'react-router';
import type { StudyClass } from '@little-monster/core/contract';
import { ConfirmDialog } from '../../app/components/ConfirmDialog';
import { PageHeader } from '../../app/components/PageHeader';
import { EmptyState, ErrorState, Loading } from '../../app/components/States';
import { useUiStoreApi } from '../../app/ui-store';
import { useNow } from '../../app/use-now';
import { useWeekStart } from '../settings/queries';
import { ClassCard } from './ClassCard';
import { ClassFormDialog } from './ClassFormDialog';
import { useClasses, useDeleteClass, useReorderClasses, useSetArchived } from './queries';

type Editing = { mode: 'create' } | { mode: 'edit'; cls: StudyClass };

/** What another screen (the command palette) can ask of the Classes page as it opens it. */
export interface ClassesLocationState {
  /** Open the form for a new class. */
  newClass?: boolean;
}

export function ClassesPage() {
  const [showArchived, setShowArchived] = useState(false);
  const [editing, setEditing] = useState<Editing | null>(null);
  const [deleting, setDeleting] = useState<StudyClass | null>(null);
  const [announcement, setAnnouncement] = useState('');
  const classes = useClasses(showArchived);
  const weekStartsOn = useWeekStart();
  const now = useNow();
  const setArchived = useSetArchived();
  const deleteClass = useDeleteClass();
  const reorder = useReorderClasses();
  const store = useUiStoreApi();
  const location = useLocation();
  const navigate = useNavigate();

  // Opened for a new class: the form shows until it is closed, which forgets the request.
  const askedForNewClass = (location.state as ClassesLocationState | null)?.newClass === true;
  const form: Editing | null = editing ?? (askedForNewClass ? { mode: 'create' } : null);
  function closeForm() {
    setEditing(null);
    if (askedForNewClass) void navigate('.', { replace: true, state: null });
  }

  const list = classes.data ?? [];
  const active = list.filter((cls) => !cls.archived);

  function move(cls: StudyClass, direction: -1 | 1) {
    const ids = active.map((c) => c.id);
    const from = ids.indexOf(cls.id);
    const to = from + direction;
    if (from < 0 || to < 0 || to >= ids.length) return;
    [ids[from], ids[to]] = [ids[to] ?? cls.id, cls.id];
    reorder.mutate(ids);
    setAnnouncement(`Moved “${cls.name}” to position ${to + 1} of ${ids.length}.`);
  }

  function toggleArchived(cls: StudyClass) {
    setArchived.mutate(
      { id: cls.id, archived: !cls.archived },
      {
        onSuccess: (saved) =>
          store.getState().pushToast(
            saved.archived
              ? {
                  tone: 'success',
                  title: `Archived “${saved.name}”`,
                  message: 'Turn on “Show archived” to see it again.',
                }
              : { tone: 'success', title: `“${saved.name}” is back in your classes` },
          ),
      },
    );
  }

  function confirmDelete(cls: StudyClass) {
    deleteClass.mutate(cls.id, {
      onSuccess: () => store.getState().pushToast({ tone: 'success', title: `Deleted “${cls.name}”` }),
      onSettled: () => setDeleting(null),
    });
  }

  return (
    <>
      <PageHeader
        title="Classes"
        description="Your courses, their weekly schedule and exam dates."
        actions={
          <>
            <label className="toggle">
              <input
                type="checkbox"
                checked={showArchived}
                onChange={(e) => setShowArchived(e.target.checked)}
              />
              Show archived
            </label>
            <button
              type="button"
              className="button button-primary"
              onClick={() => setEditing({ mode: 'create' })}
            >
              New class
            </button>
          </>
        }
      />
      <p className="visually-hidden" role="status">
        {announcement}
      </p>

      {classes.isPending ? (
        <Loading label="Loading classes…" />
      ) : classes.isError ? (
        <ErrorState error={classes.error} what="your classes" onRetry={() => void classes.refetch()} />
      ) : list.length === 0 ? (
        <EmptyState title="No classes yet">
          <p>
            Add the courses you take this term with <strong>New class</strong>: their weekly meetings and exam
            dates then appear on your dashboard.
          </p>
          {!showArchived ? (
            <p className="muted">Archived classes are hidden; turn on “Show archived” to see them.</p>
          ) : null}
        </EmptyState>
      ) : (
        <ul className="class-list" aria-label="Classes">
          {list.map((cls) => (
            <ClassCard
              key={cls.id}
              cls={cls}
              now={now}
              weekStartsOn={weekStartsOn}
              position={cls.archived ? null : { index: active.indexOf(cls), count: active.length }}
              onEdit={() => setEditing({ mode: 'edit', cls })}
              onToggleArchived={() => toggleArchived(cls)}
              onDelete={() => setDeleting(cls)}
              onMove={(direction) => move(cls, direction)}
            />
          ))}
        </ul>
      )}

      {form ? (
        <ClassFormDialog
          {...(form.mode === 'edit' ? { editing: form.cls } : {})}
          weekStartsOn={weekStartsOn}
          onClose={closeForm}
        />
      ) : null}
      {deleting ? (
        <ConfirmDialog
          title="Delete class?"
          confirmLabel="Delete class"
          busy={deleteClass.isPending}
          onCancel={() => setDeleting(null)}
          onConfirm={() => confirmDelete(deleting)}
        >
          <p>
            “{deleting.name}” will be deleted with its weekly schedule and exams. This cannot be undone. To
            keep it out of the way instead, archive it.
          </p>
          {/* What the engine does on class.deleted: every domain moves its items to no class. */}
          <p>
            Nothing you made in it is deleted: its materials, lectures and tutor conversations stay, under “No
            class”.
          </p>
        </ConfirmDialog>
      ) : null}
    </>
  );
}
