import type { z } from 'zod';
import type { lectureProcedures } from '../../contract/lectures.js';
import type { Caller } from '../../rpc/dispatcher.js';
import type { LecturesService } from './lectures-service.js';

type LectureProcedures = typeof lectureProcedures;

/**
 * One handler per lecture procedure, typed from the domain's own contract file. Once the
 * contract's index lists these procedures this is exactly `Pick<Handlers, 'lectures.…'>`.
 */
export type LectureHandlers = {
  [N in keyof LectureProcedures]: (
    args: z.output<LectureProcedures[N]['input']>,
    caller: Caller,
  ) => Promise<z.output<LectureProcedures[N]['output']>> | z.output<LectureProcedures[N]['output']>;
};

export function lectureHandlers(service: LecturesService): LectureHandlers {
  return {
    'lectures.list': ({ classId }) => service.list(classId),
    'lectures.get': ({ id }) => service.get(id),
    // The connection a recorder sends from tells the engine when that recorder is gone.
    'lectures.start': (input, caller) => service.start(input, caller.connection),
    'lectures.appendChunk': ({ id, seq, data }, caller) =>
      service.appendChunk(id, seq, Buffer.from(data, 'base64'), caller.connection),
    'lectures.stop': ({ id }) => service.stop(id),
    'lectures.rename': ({ id, title }) => service.rename(id, title),
    'lectures.delete': ({ id }) => service.delete(id),
    'lectures.addBookmark': ({ id, atMs, note }) => service.addBookmark(id, atMs, note),
    'lectures.removeBookmark': ({ id }) => service.removeBookmark(id),
    'lectures.dismissRecovery': ({ id }) => service.dismissRecovery(id),
  };
}
