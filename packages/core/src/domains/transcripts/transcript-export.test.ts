import { describe, expect, it } from 'vitest';
import { exportTranscript } from './transcript-export.js';

const lines = [
  { startMs: 1200, endMs: 4850, text: 'And so, my fellow Americans,' },
  { startMs: 3_725_004, endMs: 3_727_500, text: 'ask not --> what *your* country\ncan do' },
  { startMs: 5000, endMs: 5100, text: '   ' },
];

describe('exportTranscript', () => {
  it('writes SubRip cues, numbered, with comma milliseconds and no blank-line or arrow breakage', () => {
    const { content, fileName, mimeType } = exportTranscript('Lecture 4: Politics', lines, 'srt');
    expect(fileName).toBe('Lecture 4 Politics.srt');
    expect(mimeType).toMatch(/subrip/);
    expect(content).toBe(
      '1\n00:00:01,200 --> 00:00:04,850\nAnd so, my fellow Americans,\n\n' +
        '2\n01:02:05,004 --> 01:02:07,500\nask not -> what *your* country can do\n',
    );
  });

  it('writes WebVTT with its header and dot milliseconds', () => {
    const { content } = exportTranscript('L', lines, 'vtt');
    expect(content.startsWith('WEBVTT\n\n00:00:01.200 --> 00:00:04.850\nAnd so')).toBe(true);
  });

  it('writes plain text and Markdown with clock times, Markdown escaped', () => {
    expect(exportTranscript('L', lines, 'txt').content).toBe(
      '[0:01] And so, my fellow Americans,\n[1:02:05] ask not --> what *your* country can do\n',
    );
    const md = exportTranscript('Week 1', lines, 'md').content;
    expect(md).toContain('# Week 1\n\n**0:01** And so, my fellow Americans,');
    expect(md).toContain('what \\*your\\* country');
  });
});
