/** FOR UI COMPONENT TESTS ONLY: the browser mode's file access, in memory. */
import type { FileAccess } from '../transport/types';

/**
 * Uploads succeed at once (after one progress report) and are kept in `uploads` for the test to
 * inspect; originals and recordings have addresses like the browser mode's.
 */
export function fakeFiles(uploads: Map<string, File>): FileAccess {
  return {
    async upload(file, { onProgress } = {}) {
      onProgress?.(Math.floor(file.size / 2), file.size);
      await Promise.resolve();
      const uploadId = crypto.randomUUID();
      uploads.set(uploadId, file);
      return { uploadId, bytes: file.size };
    },
    urlOf: (id) => `http://127.0.0.1:5123/files/${id}?token=test`,
    recordingUrl: (id) => `http://127.0.0.1:5123/recordings/${id}?token=test`,
  };
}
