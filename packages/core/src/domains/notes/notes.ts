import { UNTITLED_NOTE } from '../../contract/index.js';
import type { DomainKit, DomainModule, ProceduresOf } from '../../kit/kit.js';
import { exportNote } from './note-export.js';
import { sanitizeNoteMarkdown } from './note-markdown.js';
import { notePassages } from './note-passages.js';
import { NotesRepository } from './notes-repository.js';

/**
 * Notes the student writes: Markdown per class (or none), perhaps typed beside a lecture with each
 * paragraph stamped with the second it was typed at. Notes are search's `note` source, so search
 * finds them and the tutor cites them. Markdown is sanitised on the way in and on the way out.
 */
export function createNotes(kit: DomainKit): DomainModule<ProceduresOf<'notes'>> {
  const repo = new NotesRepository(kit.store, kit.search.register('note'));
  const changed = (ids: string[]) => {
    if (ids.length > 0) kit.bus.emit('notes.changed', { ids });
  };
  const passages = async (note: { title: string; markdown: string }) =>
    notePassages(note, (await kit.engines.tokenizer()).countTokens);
  // A class or lecture named by a note must exist (each throws NOT_FOUND with its own words).
  const checkClass = (classId: string | null | undefined) => {
    if (classId) kit.queries.classes.get(classId);
  };
  const checkLecture = (lectureId: string | null) => {
    if (lectureId) kit.queries.lectures.get(lectureId);
  };

  return {
    handlers: {
      'notes.list': (filter) => repo.list(filter),
      'notes.get': ({ id }) => repo.get(id),
      'notes.create': async ({ classId, lectureId, title, markdown }) => {
        checkClass(classId);
        checkLecture(lectureId);
        const fields = {
          classId,
          lectureId,
          title: title || UNTITLED_NOTE,
          markdown: sanitizeNoteMarkdown(markdown),
        };
        const chunks = await passages(fields);
        // Checked again after the wait: the class or lecture may have gone meanwhile.
        checkClass(classId);
        checkLecture(lectureId);
        const id = repo.create(fields, chunks);
        changed([id]);
        return repo.get(id);
      },
      'notes.update': async ({ id, patch }) => {
        const current = repo.get(id);
        checkClass(patch.classId);
        const words = {
          title: patch.title === undefined ? current.title : patch.title || UNTITLED_NOTE,
          markdown: patch.markdown === undefined ? current.markdown : sanitizeNoteMarkdown(patch.markdown),
        };
        const wordsChanged = patch.title !== undefined || patch.markdown !== undefined;
        const chunks = wordsChanged ? await passages(words) : null;
        checkClass(patch.classId);
        repo.update(
          id,
          {
            ...(patch.classId !== undefined ? { classId: patch.classId } : {}),
            ...(wordsChanged ? words : {}),
          },
          chunks,
        );
        changed([id]);
        return repo.get(id);
      },
      'notes.delete': ({ id }) => {
        repo.delete(id);
        changed([id]);
        return { id };
      },
      'notes.export': ({ id, format }) => exportNote(repo.get(id), format),
    },
    subscriptions: {
      'class.deleted': ({ id }) => changed(repo.unfileClass(id)),
      'lecture.deleted': ({ id }) => changed(repo.detachLecture(id)),
    },
  };
}
