import { useRef, useState } from 'react';
import type { Lecture } from '@little-monster/core/contract';
import { Link } from 'react-router';
import { ErrorState, Loading } from '../../app/components/States';
import { MarkdownEditor } from './MarkdownEditor';
import { SaveStatus } from './NoteEditor';
import { notePath } from './note-link';
import { useNote, useNoteWrites, useNotesList } from './queries';
import { useAutosave } from './use-autosave';

interface LectureNotesPaneProps {
  lecture: Lecture;
  /** Where playback (or the recording) is now, in milliseconds: each new paragraph is stamped with it. */
  currentMs(): number;
  /** A stamp was clicked: play from that moment (left out while recording: nothing to play yet). */
  onSeek?(ms: number): void;
}

/**
 * Notes typed beside a lecture: each paragraph started opens with the second being played (or
 * recorded) then, and a click on that stamp plays the lecture from there. The note is made with
 * the first words and saved as the student types.
 */
export function LectureNotesPane(props: LectureNotesPaneProps) {
  const notes = useNotesList({ lectureId: props.lecture.id });
  // Decided once: the note this pane made must not swap its editor for another mid-sentence.
  const [opened, setOpened] = useState<string | null | undefined>(undefined);
  if (notes.data && opened === undefined) setOpened(notes.data.at(-1)?.id ?? null);
  if (opened === undefined) {
    if (notes.isError)
      return <ErrorState error={notes.error} what="your notes" onRetry={() => void notes.refetch()} />;
    return <Loading label="Loading your notes…" />;
  }
  // The first note typed beside this lecture (the list is newest first).
  return opened ? (
    <ExistingNote noteId={opened} {...props} />
  ) : (
    <LectureNote noteId={null} initialMarkdown="" {...props} />
  );
}

function ExistingNote({ noteId, ...props }: LectureNotesPaneProps & { noteId: string }) {
  const note = useNote(noteId);
  if (note.isPending) return <Loading label="Opening your note…" />;
  if (note.isError)
    return <ErrorState error={note.error} what="your note" onRetry={() => void note.refetch()} />;
  return <LectureNote noteId={noteId} initialMarkdown={note.data.markdown} {...props} />;
}

function LectureNote({
  lecture,
  currentMs,
  onSeek,
  noteId,
  initialMarkdown,
}: LectureNotesPaneProps & { noteId: string | null; initialMarkdown: string }) {
  const { create, update, draft } = useNoteWrites();
  const id = useRef(noteId);
  const [createdId, setCreatedId] = useState(noteId);
  // Saves run one after another, so only the first creates the note; the rest update it.
  const autosave = useAutosave(async (markdown: string) => {
    if (id.current) await update(id.current, { markdown });
    else {
      id.current = (
        await create({
          classId: lecture.classId,
          lectureId: lecture.id,
          title: `Notes: ${lecture.title}`,
          markdown,
        })
      ).id;
      setCreatedId(id.current);
    }
  });

  return (
    <section className="card lecture-notes" aria-label="Your notes">
      <div className="transcript-head">
        <h2 className="card-title">Your notes</h2>
        <SaveStatus state={autosave.state} error={autosave.error} onRetry={() => void autosave.flush()} />
        {createdId ? (
          <Link className="button button-small" to={notePath(createdId)}>
            Open in Notes
          </Link>
        ) : null}
      </div>
      <p className="muted note-pane-hint">
        Each paragraph you start is stamped with the lecture’s time; click a stamp to play from there.
      </p>
      <MarkdownEditor
        label="Notes beside the lecture"
        initialMarkdown={initialMarkdown}
        onChange={(markdown) => {
          if (id.current) draft(id.current, { markdown });
          autosave.change(markdown);
        }}
        stampSecond={() => Math.floor(currentMs() / 1000)}
        onStampClick={onSeek ? (second) => onSeek(second * 1000) : undefined}
      />
    </section>
  );
}
