import { Whisper } from '@napi-rs/whisper';
import { describe, expect, it } from 'vitest';
import { WHISPER_LANGUAGES, whisperLanguageCode } from './whisper-languages.js';

describe('whisper languages', () => {
  it('are exactly whisper.cpp’s own list, codes and names', () => {
    // whisper.cpp's table as the native library reports it (through the binding that can list it).
    const native = Array.from({ length: Whisper.maxLangId() + 1 }, (_, id) => [
      Whisper.lang(id),
      Whisper.langFull(id),
    ]);
    expect([...WHISPER_LANGUAGES]).toEqual(native);
  });

  it('resolve a code or an English name to the code, in any case', () => {
    expect(whisperLanguageCode('DE')).toBe('de');
    expect(whisperLanguageCode(' german ')).toBe('de');
    expect(whisperLanguageCode('yue')).toBe('yue');
  });

  it('know nothing of a language whisper does not', () => {
    expect(whisperLanguageCode('klingon')).toBeNull();
    expect(whisperLanguageCode('')).toBeNull();
  });
});
