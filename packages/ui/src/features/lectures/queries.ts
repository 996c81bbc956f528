import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ExportFormat, Lecture, TranscriptSegment } from '@little-monster/core/contract';
import { useEngine } from '../../app/engine-context';
import { storeSegment } from './transcript-cache';
import { lectureKeys } from './query-keys';

/** Lectures, newest first; `classId` undefined: all, null: those in no class. */
export function useLectures(classId: string | null | undefined) {
  const engine = useEngine();
  return useQuery({
    queryKey: lectureKeys.list(classId),
    queryFn: () => engine.call('lectures.list', classId === undefined ? {} : { classId }),
  });
}

/** One lecture with its bookmarks. */
export function useLecture(id: string) {
  const engine = useEngine();
  return useQuery({ queryKey: lectureKeys.one(id), queryFn: () => engine.call('lectures.get', { id }) });
}

/** Every lecture's transcription status in one call (the list would otherwise fetch each transcript). */
export function useTranscriptStatuses() {
  const engine = useEngine();
  return useQuery({
    queryKey: lectureKeys.transcriptStatuses,
    queryFn: () => engine.call('transcripts.statuses', {}),
  });
}

/** A lecture's transcript (status and lines); `transcripts.segment` events add lines as they are written. */
export function useTranscript(lectureId: string | null) {
  const engine = useEngine();
  return useQuery({
    queryKey: lectureKeys.transcript(lectureId ?? ''),
    queryFn: () => engine.call('transcripts.get', { lectureId: lectureId ?? '' }),
    enabled: lectureId !== null,
    // Events keep it current; refetching could put back an older list mid-recording.
    staleTime: Infinity,
  });
}

function useStoreLecture() {
  const queryClient = useQueryClient();
  return (lecture: Lecture) => {
    queryClient.setQueryData<{ lecture: Lecture }>(lectureKeys.one(lecture.id), (data) =>
      data ? { ...data, lecture } : data,
    );
    void queryClient.invalidateQueries({ queryKey: lectureKeys.all });
  };
}

export function useRenameLecture() {
  const engine = useEngine();
  const store = useStoreLecture();
  return useMutation({
    mutationFn: ({ id, title }: { id: string; title: string }) =>
      engine.call('lectures.rename', { id, title }),
    meta: { handlesErrors: ['INVALID_INPUT'] },
    onSuccess: store,
  });
}

export function useDeleteLecture() {
  const engine = useEngine();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => engine.call('lectures.delete', { id }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: lectureKeys.all }),
  });
}

export function useDismissRecovery() {
  const engine = useEngine();
  const store = useStoreLecture();
  return useMutation({
    mutationFn: (id: string) => engine.call('lectures.dismissRecovery', { id }),
    onSuccess: store,
  });
}

export function useAddBookmark() {
  const engine = useEngine();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { id: string; atMs: number; note: string }) =>
      engine.call('lectures.addBookmark', input),
    onSettled: (_bookmark, _error, input) =>
      queryClient.invalidateQueries({ queryKey: lectureKeys.one(input.id) }),
  });
}

export function useRemoveBookmark(lectureId: string) {
  const engine = useEngine();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => engine.call('lectures.removeBookmark', { id }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: lectureKeys.one(lectureId) }),
  });
}

export function useEditSegment() {
  const engine = useEngine();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, text }: { id: number; text: string }) =>
      engine.call('transcripts.editSegment', { id, text }),
    meta: { handlesErrors: ['INVALID_INPUT'] },
    onSuccess: (segment: TranscriptSegment) => storeSegment(queryClient, segment),
  });
}

export function useTranscribe() {
  const engine = useEngine();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ lectureId, modelId }: { lectureId: string; modelId?: string }) =>
      engine.call('transcripts.transcribe', { lectureId, ...(modelId ? { modelId } : {}) }),
    onSettled: (_result, _error, { lectureId }) =>
      queryClient.invalidateQueries({ queryKey: lectureKeys.transcript(lectureId) }),
  });
}

export function useExportTranscript() {
  const engine = useEngine();
  return useMutation({
    mutationFn: ({ lectureId, format }: { lectureId: string; format: ExportFormat }) =>
      engine.call('transcripts.export', { lectureId, format }),
  });
}
