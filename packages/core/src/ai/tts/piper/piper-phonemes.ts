/**
 * Text to Piper phoneme ids, as piper-phonemize does it: espeak-ng IPA clause by clause, the
 * clause's punctuation kept (it shapes the intonation the voice learned), decomposed to single
 * code points, each mapped to its ids with the pad id after it, between the start and end ids.
 */
import type { PiperVoiceConfig } from './piper-voice-config.js';

/** Something that turns text into espeak-ng IPA (EspeakNg on a voice thread). */
export interface Phonemizer {
  phonemes(text: string): string;
}

interface Clause {
  text: string;
  /** The punctuation that ended it, kept in the phonemes as Piper does. */
  terminator: string | null;
}

const PAD = '_';
const START = '^';
const END = '$';

/** Clauses end at punctuation followed by a space or the end ("3.5" is not a clause end). */
export function clausesOf(sentence: string): Clause[] {
  const clauses: Clause[] = [];
  let start = 0;
  for (const match of sentence.matchAll(/([.,;:!?…]+)(?=\s|$)/g)) {
    const last = match[1]!.at(-1)!;
    clauses.push({ text: sentence.slice(start, match.index).trim(), terminator: last === '…' ? '.' : last });
    start = match.index + match[0].length;
  }
  clauses.push({ text: sentence.slice(start).trim(), terminator: null });
  return clauses.filter((clause) => clause.text !== '');
}

/** The phonemes Piper would give the voice for `sentence`, one string of code points. */
export function piperPhonemes(sentence: string, phonemizer: Phonemizer, config: PiperVoiceConfig): string {
  let phonemes = '';
  for (const { text, terminator } of clausesOf(sentence)) {
    // Language switch flags such as "(fr)" surround foreign words; Piper drops them.
    const ipa = phonemizer
      .phonemes(text)
      .trim()
      .replace(/\([^)]*\)/g, '');
    phonemes += mapped(ipa.normalize('NFD'), config.phonemeMap);
    if (terminator === '.' || terminator === '?' || terminator === '!') phonemes += terminator;
    else if (terminator === ',' || terminator === ':' || terminator === ';') phonemes += `${terminator} `;
  }
  return phonemes.trim();
}

function mapped(phonemes: string, map: Map<string, string[]>): string {
  if (map.size === 0) return phonemes;
  return [...phonemes].map((phoneme) => map.get(phoneme)?.join('') ?? phoneme).join('');
}

/** Ids for the voice: start, then each known phoneme and a pad, then end. Unknown phonemes are skipped. */
export function phonemeIds(phonemes: string, config: PiperVoiceConfig): { ids: number[]; unknown: string[] } {
  const idsOf = (symbol: string) => config.phonemeIds.get(symbol)!;
  const pad = idsOf(PAD);
  const ids = [...idsOf(START), ...pad];
  const unknown: string[] = [];
  for (const phoneme of phonemes) {
    const found = config.phonemeIds.get(phoneme);
    if (!found) {
      unknown.push(phoneme);
      continue;
    }
    ids.push(...found, ...pad);
  }
  ids.push(...idsOf(END));
  return { ids, unknown };
}
