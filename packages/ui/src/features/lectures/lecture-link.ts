/**
 * A lecture's address: `/lectures/<id>?t=754` opens it with playback at 12:34 (a search hit or a
 * tutor's citation of what was said then).
 */
export function lecturePath(lectureId: string, seconds?: number | null): string {
  const at =
    seconds === undefined || seconds === null || !Number.isFinite(seconds) ? null : Math.max(0, seconds);
  return `/lectures/${lectureId}${at === null ? '' : `?t=${Math.floor(at)}`}`;
}

/** Reads `t`; anything that is not a number of seconds is ignored. */
export function readStartSeconds(value: string | null): number | null {
  if (value === null || !/^\d+(\.\d+)?$/.test(value.trim())) return null;
  return Number(value);
}
