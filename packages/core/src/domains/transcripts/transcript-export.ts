import type { ExportFormat, TranscriptSegment } from '../../contract/index.js';

type Line = Pick<TranscriptSegment, 'startMs' | 'endMs' | 'text'>;

const MIME_TYPES: Record<ExportFormat, string> = {
  txt: 'text/plain;charset=utf-8',
  srt: 'application/x-subrip;charset=utf-8',
  vtt: 'text/vtt;charset=utf-8',
  md: 'text/markdown;charset=utf-8',
};

/** A transcript as a file the student can keep: plain text, SubRip, WebVTT or Markdown. */
export function exportTranscript(
  title: string,
  segments: Line[],
  format: ExportFormat,
): { fileName: string; mimeType: string; content: string } {
  const lines = segments.filter((segment) => segment.text.trim());
  return {
    fileName: `${safeFileName(title)}.${format}`,
    mimeType: MIME_TYPES[format],
    content: RENDER[format](title, lines),
  };
}

const RENDER: Record<ExportFormat, (title: string, lines: Line[]) => string> = {
  txt: (_title, lines) =>
    lines.map((line) => `[${clock(line.startMs)}] ${oneLine(line.text)}`).join('\n') + '\n',
  srt: (_title, lines) =>
    lines
      .map(
        (line, i) =>
          `${i + 1}\n${cueTime(line.startMs, ',')} --> ${cueTime(line.endMs, ',')}\n${cueText(line.text)}\n`,
      )
      .join('\n'),
  vtt: (_title, lines) =>
    'WEBVTT\n\n' +
    lines
      .map((line) => `${cueTime(line.startMs, '.')} --> ${cueTime(line.endMs, '.')}\n${cueText(line.text)}\n`)
      .join('\n'),
  md: (title, lines) =>
    `# ${oneLine(title)}\n\n` +
    lines.map((line) => `**${clock(line.startMs)}** ${escapeMarkdown(oneLine(line.text))}`).join('\n\n') +
    '\n',
};

const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();
/** A cue ends at a blank line and `-->` is its time separator: neither may come from the text. */
const cueText = (text: string) => oneLine(text).replaceAll('-->', '->');
const escapeMarkdown = (text: string) => text.replace(/([\\`*_[\]<>#|])/g, '\\$1');

/** 01:02:03,456 (SRT) or 01:02:03.456 (WebVTT). */
function cueTime(ms: number, separator: ',' | '.'): string {
  const whole = Math.max(0, Math.round(ms));
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  const h = Math.floor(whole / 3_600_000);
  const m = Math.floor((whole % 3_600_000) / 60_000);
  const s = Math.floor((whole % 60_000) / 1000);
  return `${pad(h)}:${pad(m)}:${pad(s)}${separator}${pad(whole % 1000, 3)}`;
}

/** 12:05, or 1:02:03 past an hour. */
export function clock(ms: number): string {
  const total = Math.floor(Math.max(0, ms) / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

/** A title as a file name every system accepts: no separators, reserved or control characters. */
const safeFileName = (title: string) =>
  [...title]
    .map((char) => (char.charCodeAt(0) < 32 || '\\/:*?"<>|'.includes(char) ? ' ' : char))
    .join('')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 120) || 'transcript';
