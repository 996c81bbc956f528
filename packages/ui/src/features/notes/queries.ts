import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { NoteExportFormat, WrittenNote } from '@little-monster/core/contract';
import { useEngine } from '../../app/engine-context';
import { downloadFile } from '../lectures/download';
import { notesKeys } from './query-keys';

/** Notes, newest first; `classId` undefined: every note, null: those in no class. */
export function useNotesList(filter: { classId?: string | null; lectureId?: string }) {
  const engine = useEngine();
  return useQuery({ queryKey: notesKeys.list(filter), queryFn: () => engine.call('notes.list', filter) });
}

/**
 * One note as stored. Read once per visit: the editor holds what is typed, and a refetch while
 * typing must not put an older text back.
 */
export function useNote(id: string) {
  const engine = useEngine();
  return useQuery({
    queryKey: notesKeys.one(id),
    queryFn: () => engine.call('notes.get', { id }),
    staleTime: Infinity,
    refetchOnWindowFocus: false,
  });
}

export type NoteDraft = {
  classId: string | null;
  lectureId?: string | null;
  title?: string;
  markdown?: string;
};
export type NotePatch = { title?: string; markdown?: string; classId?: string | null };

/** Calls that write a note; the lists refresh through `notes.changed`. */
export function useNoteWrites() {
  const engine = useEngine();
  const queryClient = useQueryClient();
  const remember = (note: WrittenNote) => {
    queryClient.setQueryData(notesKeys.one(note.id), note);
    return note;
  };
  return {
    /**
     * What is typed, into the cached note at once: reopening the note before its save lands shows
     * the latest words, not the last saved ones (which the new editor would then save over them).
     */
    draft: (id: string, patch: NotePatch) =>
      queryClient.setQueryData<WrittenNote>(notesKeys.one(id), (note) =>
        note ? { ...note, ...patch } : note,
      ),
    create: async (draft: NoteDraft) => remember(await engine.call('notes.create', draft)),
    update: async (id: string, patch: NotePatch) => {
      const saved = await engine.call('notes.update', { id, patch });
      // The cache already holds what was typed (`draft`), perhaps newer than this save: keep it.
      queryClient.setQueryData<WrittenNote>(notesKeys.one(id), (cached) =>
        cached
          ? { ...saved, title: cached.title, markdown: cached.markdown, classId: cached.classId }
          : saved,
      );
      return saved;
    },
  };
}

export function useCreateNote() {
  const { create } = useNoteWrites();
  return useMutation({ mutationFn: create });
}

export function useDeleteNote() {
  const engine = useEngine();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => engine.call('notes.delete', { id }),
    onSuccess: ({ id }) => {
      queryClient.removeQueries({ queryKey: notesKeys.one(id) });
      void queryClient.invalidateQueries({ queryKey: notesKeys.lists });
    },
  });
}

/** Saves the note as a Markdown or Word file. */
export function useExportNote() {
  const engine = useEngine();
  return useMutation({
    mutationFn: async ({ id, format }: { id: string; format: NoteExportFormat }) => {
      const file = await engine.call('notes.export', { id, format });
      const data =
        file.encoding === 'base64'
          ? Uint8Array.from(atob(file.content), (char) => char.charCodeAt(0))
          : file.content;
      downloadFile(new Blob([data], { type: file.mimeType }), file.fileName);
    },
  });
}
