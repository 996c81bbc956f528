/**
 * An engine recording a lecture: it appends the chunks found in a folder one by one, reporting
 * each acknowledgement to the parent and waiting for its go-ahead before the next. The parent
 * kills it with SIGKILL, as a crash or a pulled plug would, while a chunk is being stored.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openLectures } from './open-lectures.js';

const [dataDir, migrationsDir, chunksDir] = process.argv.slice(2) as [string, string, string];
const { service } = openLectures(dataDir, migrationsDir);
const chunks = readdirSync(chunksDir)
  .sort()
  .map((name) => readFileSync(join(chunksDir, name)));

const lecture = await service.start({
  classId: null,
  title: 'Lecture 4',
  mimeType: 'audio/webm;codecs=opus',
});
const goAhead: (() => void)[] = [];
process.on('message', () => goAhead.shift()?.());
for (const [seq, chunk] of chunks.entries()) {
  const next = new Promise<void>((resolve) => goAhead.push(resolve));
  const ack = await service.appendChunk(lecture.id, seq, chunk);
  process.send?.({ lectureId: lecture.id, ...ack });
  await next;
}
setInterval(() => {}, 1000);
