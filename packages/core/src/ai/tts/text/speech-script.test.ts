import { describe, expect, it } from 'vitest';
import { FORMULA } from './math-speech.js';
import { MAX_SENTENCE_CHARS } from './sentences.js';
import { CODE_BLOCK, prepareSpeech, type SpeechFormat } from './speech-script.js';
import { sourceSpan } from './spoken-text.js';

const spoken = async (text: string, format: SpeechFormat = 'markdown', language = 'en-us') =>
  (await prepareSpeech(text, { format, language })).sentences.map((sentence) => sentence.text);

describe('prepareSpeech: Markdown', () => {
  it('reads the words, not the formatting marks, one sentence per heading, item and paragraph', async () => {
    const markdown = [
      '# Cell biology',
      '',
      'The **mitochondria** are the _powerhouse_ of the ~~house~~ cell. They make ATP.',
      '',
      '- Nucleus',
      '- Ribosomes: they build proteins',
      '',
      '> A quoted line',
    ].join('\n');
    expect(await spoken(markdown)).toEqual([
      'Cell biology.',
      'The mitochondria are the powerhouse of the house cell.',
      'They make ATP.',
      'Nucleus.',
      'Ribosomes: they build proteins.',
      'A quoted line.',
    ]);
  });

  it('skips code blocks with a short notice and reads short inline code', async () => {
    const markdown = 'Call `useState` first.\n\n```ts\nconst x = a[0] <= b;\n```\n\nThen render.';
    expect(await spoken(markdown)).toEqual(['Call useState first.', CODE_BLOCK, 'Then render.']);
  });

  it('says where a link goes instead of spelling the address, and reads link text', async () => {
    expect(await spoken('See https://en.wikipedia.org/wiki/Cell_(biology) for more.')).toEqual([
      'See a link to en.wikipedia.org for more.',
    ]);
    expect(
      await spoken('Read [the guide](https://example.com/guide) today, or www.khanacademy.org.'),
    ).toEqual(['Read the guide today, or a link to khanacademy.org.']);
  });

  it('drops citation markers, footnote references, emoji and HTML', async () => {
    expect(
      await spoken(
        'Cells divide by mitosis [1]. DNA replicates first [2, 3][4-5]. Fun 🎉!<br>Done[^1].\n\n[^1]: A note.',
      ),
    ).toEqual(['Cells divide by mitosis.', 'DNA replicates first.', 'Fun!', 'Done.']);
  });

  it('reads simple maths as words and long maths as "formula"', async () => {
    const sentences = await spoken(
      'Pythagoras: $a^2 + b^2 = c^2$ holds.\n\n$$\\frac{-b \\pm \\sqrt{b^2-4ac}}{2a} + \\sum_{i=1}^{n} \\int_0^1 x^i\\,dx$$\n\nAlso $\\frac{1}{2}$ and $\\sqrt{2}$.',
    );
    expect(sentences).toEqual([
      'Pythagoras: a squared plus b squared equals c squared holds.',
      `${FORMULA}.`,
      'Also one half and the square root of 2.',
    ]);
  });

  it('says "formula" for LaTeX that does not parse, and reads a table row by row', async () => {
    expect(await spoken('Broken $\\frac{1}{$ here.')).toEqual([`Broken ${FORMULA} here.`]);
    expect(await spoken('| Organelle | Job |\n|---|---|\n| Nucleus | Stores DNA |')).toEqual([
      'Organelle, Job.',
      'Nucleus, Stores DNA.',
    ]);
  });

  it('rewrites abbreviations, money, ranges, fractions, units and signs in English', async () => {
    expect(
      await spoken(
        'Dr. Smith wrote Fig. 3, e.g. the results vs. the baseline, etc. It cost $5.50, then $1 and £2.5 million. ' +
          'Read pp. 10-20 from 1990–2000. Add 1/2 cup and 3/4 spoon. Drive 60 km/h at 25 °C with 1 kg. ' +
          'Rain and/or snow: x ≥ 3 & y ≠ 4, ~5 items, #2 ranked.',
        'plain',
      ),
    ).toEqual([
      'Doctor Smith wrote Figure 3, for example, the results versus the baseline, et cetera.',
      'It cost 5 dollars 50 cents, then 1 dollar and 2.5 million pounds.',
      'Read pages 10 to 20 from 1990 to 2000.',
      'Add one half cup and three quarters spoon.',
      'Drive 60 kilometers per hour at 25 degrees Celsius with 1 kilogram.',
      'Rain and or snow: x is greater than or equal to 3 and y is not equal to 4, about 5 items, number 2 ranked.',
    ]);
    // In Markdown a lone dollar sign is money; a pair is maths, as the reader shows it.
    expect(await spoken('It costs \\$20 or $12 today.')).toEqual([
      'It costs 20 dollars or 12 dollars today.',
    ]);
  });

  it('leaves numbers, dates and times to the voice, and other languages as written', async () => {
    expect(await spoken('In 1990, 3.5% of 1,000,000 people left at 10:30 on 2024-05-01.')).toEqual([
      'In 1990, 3.5% of 1,000,000 people left at 10:30 on 2024-05-01.',
    ]);
    expect((await spoken('Dr. Müller a vu la Fig. 3 [1].', 'markdown', 'fr-fr')).join(' ')).toBe(
      'Dr. Müller a vu la Fig. 3.',
    );
  });

  it('maps every sentence back to the span of the source it was read from', async () => {
    const markdown = '# Title\n\nThe **cell** divides [1]. Dr. Who e.g. lives.';
    const { sentences } = await prepareSpeech(markdown, { format: 'markdown', language: 'en-us' });
    expect(sentences.map((sentence) => markdown.slice(sentence.source.start, sentence.source.end))).toEqual([
      'Title',
      'The **cell** divides [1].',
      'Dr. Who e.g. lives.',
    ]);
    // A word of a sentence maps back too: "Doctor" to "Dr.", "lives" to itself.
    const last = sentences[2]!;
    const doctor = sourceSpan(last.pieces, 0, 'Doctor'.length);
    expect(markdown.slice(doctor.start, doctor.end)).toBe('Dr.');
    const lives = last.text.indexOf('lives');
    const livesSpan = sourceSpan(last.pieces, lives, lives + 'lives'.length);
    expect(markdown.slice(livesSpan.start, livesSpan.end)).toBe('lives');
  });
});

describe('prepareSpeech: plain text and sentences', () => {
  it('reads wrapped lines on and ends sentences at paragraphs', async () => {
    expect(await spoken('The lecture began\nwith a question\n\nA new paragraph', 'plain')).toEqual([
      'The lecture began with a question.',
      'A new paragraph.',
    ]);
  });

  it('keeps markup characters of plain text out of the way of the sentence map', async () => {
    const text = 'Line one [3].\n\n*Not markdown* here.';
    const { sentences } = await prepareSpeech(text, { format: 'plain', language: 'en-us' });
    expect(sentences.map((sentence) => sentence.text)).toEqual(['Line one.', '*Not markdown* here.']);
    expect(sentences.map((sentence) => text.slice(sentence.source.start, sentence.source.end))).toEqual([
      'Line one [3].',
      '*Not markdown* here.',
    ]);
  });

  it('cuts a run-on sentence at commas, then between words, never mid-word', async () => {
    const runOn = Array.from({ length: 40 }, (_, i) => `item number ${i}, then`).join(' ') + ' the end.';
    const words = Array.from({ length: 200 }, (_, i) => `word${i}`).join(' ');
    const clauses = await spoken(runOn, 'plain');
    const wordPieces = await spoken(words, 'plain');
    expect([...clauses, ...wordPieces].every((piece) => piece.length <= MAX_SENTENCE_CHARS)).toBe(true);
    expect(clauses.length).toBeGreaterThan(1);
    expect(clauses.join(' ')).toBe(runOn);
    expect(
      clauses.slice(0, -1).every((piece) => piece.endsWith(', then'.slice(-1)) || piece.endsWith(',')),
    ).toBe(true);
    expect(wordPieces.length).toBeGreaterThan(1);
    expect(wordPieces.join(' ')).toBe(`${words}.`);
  });

  it('finds every sentence of a long paragraph without line breaks', async () => {
    const paragraph = Array.from({ length: 2000 }, (_, i) => `Sentence number ${i} ends here.`).join(' ');
    const sentences = await spoken(paragraph, 'plain');
    expect(sentences).toHaveLength(2000);
    expect(sentences[1234]).toBe('Sentence number 1234 ends here.');
  });

  it('gives nothing to say for empty, blank or symbol-only text', async () => {
    expect(await spoken('')).toEqual([]);
    expect(await spoken('   \n\n  ', 'plain')).toEqual([]);
    expect(await spoken('--- \n\n *** \n\n [1] 🎉')).toEqual([]);
  });
});
