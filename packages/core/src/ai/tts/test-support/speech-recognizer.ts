/**
 * Debian's pocketsphinx (CMU Sphinx, with its US English acoustic model) as an independent
 * listener for tests: synthesised audio it can transcribe is real, intelligible speech. Its
 * general language model is weak on any synthetic voice, so it is given a small bigram model
 * of the classroom sentences the tests speak and others sharing their words: it must still find
 * every word from the sound, among competing sentences and recombinations of them.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { encodeWav } from '../../../audio/wav.js';
import { createResampler } from '../../../audio/resampler.js';

const run = promisify(execFile);
const RECOGNIZER_RATE = 16000;
/** CMU's pronouncing dictionary, from Debian's pocketsphinx-en-us. */
const CMUDICT = '/usr/share/pocketsphinx/model/en-us/cmudict-en-us.dict';

/** The dictionary entries (all pronunciations) of the model's words: loading all 135k takes a minute. */
function dictionaryFor(sentences: string[]): string {
  const wanted = new Set(sentences.flatMap(words));
  return readFileSync(CMUDICT, 'utf8')
    .split('\n')
    .filter((line) => wanted.has(line.split(' ')[0]!.replace(/\(\d+\)$/, '')))
    .join('\n');
}

export const words = (text: string): string[] =>
  text
    .toLowerCase()
    .replace(/[^a-z' ]/g, ' ')
    .split(/\s+/)
    .filter(Boolean);

/** A bigram ARPA model of `sentences` (Katz-style fixed discount, backing off to add-one unigrams). */
export function bigramModel(sentences: string[]): string {
  const unigrams = new Map<string, number>();
  const bigrams = new Map<string, number>();
  for (const sentence of sentences) {
    const tokens = ['<s>', ...words(sentence), '</s>'];
    tokens.forEach((token, index) => {
      unigrams.set(token, (unigrams.get(token) ?? 0) + 1);
      if (index > 0) {
        const pair = `${tokens[index - 1]} ${token}`;
        bigrams.set(pair, (bigrams.get(pair) ?? 0) + 1);
      }
    });
  }
  const total = [...unigrams.values()].reduce((a, b) => a + b, 0);
  const log = (p: number) => Math.log10(p).toFixed(4);
  const backoff = log(0.3);
  const unigramLines = [...unigrams].map(([word, count]) =>
    word === '<s>'
      ? `-99 <s> ${backoff}`
      : `${log((count + 1) / (total + unigrams.size))} ${word} ${backoff}`,
  );
  const bigramLines = [...bigrams].map(
    ([pair, count]) => `${log((0.7 * count) / unigrams.get(pair.split(' ')[0]!)!)} ${pair}`,
  );
  return [
    '\\data\\',
    `ngram 1=${unigramLines.length}`,
    `ngram 2=${bigramLines.length}`,
    '',
    '\\1-grams:',
    ...unigramLines,
    '',
    '\\2-grams:',
    ...bigramLines,
    '',
    '\\end\\',
    '',
  ].join('\n');
}

/** What pocketsphinx hears in `samples`, with the language model of `sentences`. */
export async function recognize(
  samples: Float32Array,
  sampleRate: number,
  sentences: string[],
): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'lm-asr-'));
  try {
    const resampler = await createResampler(sampleRate, RECOGNIZER_RATE);
    const audio = Float32Array.from([...resampler.push(samples), ...resampler.flush()]);
    resampler.close();
    writeFileSync(join(dir, 'speech.wav'), encodeWav({ sampleRate: RECOGNIZER_RATE, channels: [audio] }));
    writeFileSync(join(dir, 'model.lm'), bigramModel(sentences));
    writeFileSync(join(dir, 'model.dict'), dictionaryFor(sentences));
    const { stdout } = await run('pocketsphinx_continuous', [
      '-infile',
      join(dir, 'speech.wav'),
      '-lm',
      join(dir, 'model.lm'),
      '-dict',
      join(dir, 'model.dict'),
      '-logfn',
      '/dev/null',
    ]);
    return stdout.replace(/\s+/g, ' ').trim();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Word error rate: edits (substitutions, insertions, deletions) over the reference's words. */
export function wordErrorRate(reference: string[], heard: string[]): number {
  let previous = Array.from({ length: heard.length + 1 }, (_, j) => j);
  for (let i = 1; i <= reference.length; i++) {
    const current = [i];
    for (let j = 1; j <= heard.length; j++) {
      current[j] = Math.min(
        previous[j]! + 1,
        current[j - 1]! + 1,
        previous[j - 1]! + (reference[i - 1] === heard[j - 1] ? 0 : 1),
      );
    }
    previous = current;
  }
  return previous[heard.length]! / Math.max(1, reference.length);
}
