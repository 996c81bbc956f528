import { serveWorkerTask } from '../../workers/worker-task.js';
import { stageArchive, type StageTask } from './archive-reader.js';
import { writeArchive, type WriteArchiveTask } from './archive-writer.js';

export type BackupWorkerTask = ({ type: 'write' } & WriteArchiveTask) | ({ type: 'stage' } & StageTask);

/** Archive work off the engine's thread: hashing and (de)compressing gigabytes. */
serveWorkerTask<BackupWorkerTask, unknown>((task, progress) =>
  task.type === 'write' ? writeArchive(task, progress) : stageArchive(task, progress),
);
