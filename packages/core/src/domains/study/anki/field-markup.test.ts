import { describe, expect, it } from 'vitest';
import { ankiHtmlToMarkdown, markdownToAnkiHtml, mediaNamesInHtml } from './field-markup.js';
import { fieldChecksum, stripHtmlKeepingMediaNames } from './legacy-schema.js';

describe('Anki field HTML to Markdown', () => {
  it.each([
    ['The <b>mitochondria</b> is the <i>powerhouse</i>', 'The **mitochondria** is the *powerhouse*'],
    ['<div>line one</div><div>line two</div>', 'line one\n\nline two'],
    ['<ul><li>one</li><li>two</li></ul>', '* one\n* two'],
    ['Energy: \\(E = mc^2\\) inline', 'Energy: $E = mc^2$ inline'],
    ['\\[\\sum_{i=1}^n i\\]', '$$\n\\sum_{i=1}^n i\n$$'],
    ['[$]x^2[/$] and [$$]y[/$$]', '$x^2$ and $y$'],
    ['{{c1::<b>ATP</b>::energy}} costs $5 * 2', '{{c1::**ATP**::energy}} costs \\$5 \\* 2'],
    ['a &amp; b &lt;tag&gt;', 'a & b \\<tag>'],
    ['  Plain   words, numbers (42%) and: punctuation?  ', 'Plain words, numbers (42%) and: punctuation?'],
    ['1. not a list', '1\\. not a list'],
  ])('converts %j', (html, markdown) => {
    expect(ankiHtmlToMarkdown(html)).toBe(markdown);
  });

  it('keeps media as references the caller chooses, decoding escaped names', () => {
    const reference = (name: string) => `media/${name}`;
    expect(ankiHtmlToMarkdown('<img src="cell%20diagram.png"> [sound:hello.mp3]', reference)).toBe(
      '![](<media/cell diagram.png>) [▶ hello.mp3](media/hello.mp3)',
    );
    expect(
      mediaNamesInHtml('<img src="a%20b.png"><img src="https://example.org/y.png"> [sound:c.mp3]'),
    ).toEqual(['a b.png', 'c.mp3']);
  });

  it('drops scripts, styles and event handlers: no raw HTML reaches a card', () => {
    const markdown = ankiHtmlToMarkdown(
      '<script>alert(1)</script><style>p{}</style><span onclick="steal()">safe</span><iframe src="x"></iframe>',
    );
    expect(markdown).toBe('safe');
  });
});

describe('Markdown to Anki field HTML', () => {
  it('writes MathJax delimiters Anki renders and keeps cloze markers', () => {
    expect(markdownToAnkiHtml('Energy $E=mc^2$')).toBe('Energy \\(E=mc^2\\)');
    expect(markdownToAnkiHtml('$$\n\\int_0^1 x\\,dx\n$$')).toBe('<div>\\[\\int_0^1 x\\,dx\\]</div>');
    expect(markdownToAnkiHtml('{{c1::**ATP**}} and {{c2::DNA::molecule}}')).toBe(
      '{{c1::<strong>ATP</strong>}} and {{c2::DNA::molecule}}',
    );
    // Raw HTML in Markdown is dropped, never passed on.
    expect(markdownToAnkiHtml('<b onclick="steal()">bold</b> plain')).toBe('bold plain');
    expect(markdownToAnkiHtml('<script>alert(1)</script>')).toBe('');
  });

  it.each([
    'What does **pH** measure?',
    'Acidity: $pH = -\\log[H^+]$\n\n![](flask.png)',
    '* one\n* two',
    'Water is {{c1::neutral}} at {{c2::pH 7::a number}}',
    '$$\n\\sum_{i=1}^n i\n$$',
    'Costs \\$5 and *emphasis*',
  ])('round-trips %j through Anki HTML', (markdown) => {
    expect(ankiHtmlToMarkdown(markdownToAnkiHtml(markdown))).toBe(markdown);
  });
});

describe("Anki's sort field and checksum", () => {
  it('strips tags, decodes entities and keeps media names, as Anki does', () => {
    expect(stripHtmlKeepingMediaNames('What <b>is</b>&nbsp;this? <img src="cell.png"> &amp; more')).toBe(
      'What is this?  cell.png  & more',
    );
    // sha1("HCl") = 9b4cfe3a… (sha1sum), read as an integer.
    expect(fieldChecksum('<i>HCl</i>')).toBe(0x9b4cfe3a);
  });
});
