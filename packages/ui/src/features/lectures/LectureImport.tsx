import { useState } from 'react';
import type { StudyClass } from '@little-monster/core/contract';
import { useStore } from 'zustand';
import { useEngine } from '../../app/engine-context';
import { DropZone } from '../imports/DropZone';
import { ImportFromPath } from '../imports/ImportFromPath';
import { ImportList } from '../imports/ImportList';
import { lecturePath } from './lecture-link';
import { useLectureImportsStore } from './LecturesProvider';

/** What the file picker offers: the formats the engine decodes (it checks the content, not the name). */
const ACCEPT = 'audio/*,video/mp4,video/webm,.wav,.mp3,.m4a,.aac,.ogg,.oga,.opus,.flac,.webm,.mp4';

/**
 * Imports recorded lectures (audio or video files) by drop, by picker, or by path, into the class
 * picked here; each becomes a lecture that is transcribed in the background.
 */
export function LectureImport({
  classes,
  initialClassId,
}: {
  classes: readonly StudyClass[];
  initialClassId: string | null;
}) {
  const store = useLectureImportsStore();
  const importFiles = useStore(store, (state) => state.importFiles);
  const importPath = useStore(store, (state) => state.importPath);
  const { transport } = useEngine();
  const [classId, setClassId] = useState(initialClassId);

  return (
    <div className="library-import">
      <DropZone
        label="Import a recorded lecture"
        title="Drop recordings here: WAV, MP3, M4A/AAC, OGG/Opus, FLAC, WebM or MP4 (the sound of a video)"
        picker={{ label: 'Import audio or video', inputLabel: 'Recordings to import', accept: ACCEPT }}
        canUpload={Boolean(transport.files ?? transport.localFiles)}
        classes={classes}
        classId={classId}
        onClassChange={setClassId}
        onFiles={(files) => importFiles(files, classId)}
      />
      <ImportFromPath onImport={(path) => importPath(path, classId)} startOpen={false} />
      <ImportList
        title="Imported recordings"
        store={store}
        openPath={lecturePath}
        openWhileRunning
        cancelledJobText="Cancelled."
      />
    </div>
  );
}
