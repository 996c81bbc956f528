/**
 * Turns what a student reads (Markdown from the tutor, notes and study guides; plain text from a
 * material page or a transcript) into the sentences a voice speaks: formatting marks, code,
 * links, citation markers and maths are not read as symbols, and every sentence remembers the
 * span of the original text it came from so the reader can highlight it.
 */
import type { Link, Nodes, Parents } from 'mdast';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { gfmFromMarkdown } from 'mdast-util-gfm';
import { mathFromMarkdown } from 'mdast-util-math';
import { gfm } from 'micromark-extension-gfm';
import { math } from 'micromark-extension-math';
import { loadMathSpeaker, type MathSpeaker } from './math-speech.js';
import { splitSentences } from './sentences.js';
import { addSpeakable, linkWords } from './speech-normalizer.js';
import { SpokenTextBuilder, type SpokenSlice } from './spoken-text.js';

export type SpeechFormat = 'markdown' | 'plain';

export interface PrepareSpeechOptions {
  format: SpeechFormat;
  /** The voice's language (e.g. "en-us"): English text gets abbreviations and symbols rewritten. */
  language: string;
}

/** The sentences to speak, in order; each a {@link SpokenSlice} (its text and source span). */
export interface SpeechScript {
  sentences: SpokenSlice[];
}

/** Said where a code block is: its contents would be read as noise. */
export const CODE_BLOCK = 'Code block skipped.';

const MARKDOWN = {
  extensions: [gfm(), math()],
  mdastExtensions: [gfmFromMarkdown(), mathFromMarkdown()],
};

export async function prepareSpeech(text: string, options: PrepareSpeechOptions): Promise<SpeechScript> {
  const builder = new SpokenTextBuilder();
  if (options.format === 'plain') {
    addPlainText(builder, text, options.language);
  } else {
    const tree = fromMarkdown(text, MARKDOWN);
    const mathSpeaker = hasMath(tree) ? await loadMathSpeaker() : null;
    new MarkdownReader(text, builder, options.language, mathSpeaker).block(tree);
  }
  const spoken = builder.build();
  return {
    sentences: splitSentences(spoken.text, options.language).map(({ start, end }) =>
      spoken.slice(start, end),
    ),
  };
}

/** Paragraphs (blank lines) end sentences; single line breaks are wrapped lines, read on. */
function addPlainText(builder: SpokenTextBuilder, text: string, language: string): void {
  const paragraph = /\S[\s\S]*?(?=\n[ \t]*\n|$)/g;
  for (const match of text.matchAll(paragraph)) {
    addSpeakable(builder, match[0], match.index, language);
    builder.endSentence(match.index + match[0].length);
  }
}

/** A bare address in the text (GFM autolink literal or <https://...>): its text is the address. */
function isAutolink(link: Link): boolean {
  const [only] = link.children;
  if (link.children.length !== 1 || only?.type !== 'text') return false;
  return link.url === only.value || link.url === `http://${only.value}`;
}

function hasMath(node: Nodes): boolean {
  if (node.type === 'math' || node.type === 'inlineMath') return true;
  return 'children' in node && node.children.some(hasMath);
}

class MarkdownReader {
  constructor(
    private readonly source: string,
    private readonly builder: SpokenTextBuilder,
    private readonly language: string,
    private readonly mathSpeaker: MathSpeaker | null,
  ) {}

  /** Block-level content: each block ends its sentence. */
  block(node: Nodes): void {
    const { start, end } = this.span(node);
    switch (node.type) {
      case 'root':
      case 'blockquote':
      case 'list':
      case 'listItem':
        for (const child of node.children) this.block(child);
        return;
      case 'footnoteDefinition':
        return;
      case 'heading':
      case 'paragraph':
        this.inline(node);
        this.builder.endSentence(end);
        return;
      case 'table':
        // Row by row, cells separated by pauses: a table read as one run-on line is lost.
        for (const row of node.children) {
          row.children.forEach((cell, index) => {
            if (index > 0) this.builder.rewritten(', ', this.span(cell).start, this.span(cell).start);
            this.inline(cell);
          });
          this.builder.endSentence(this.span(row).end);
        }
        return;
      case 'code':
        this.builder.rewritten(CODE_BLOCK, start, end).endSentence(end);
        return;
      case 'math':
        this.builder.rewritten(this.mathSpeaker!.speak(node.value), start, end).endSentence(end);
        return;
      case 'thematicBreak':
      case 'html':
      case 'definition':
      case 'yaml':
        this.builder.endSentence(end);
        return;
      default:
        this.inline(node);
        this.builder.endSentence(end);
    }
  }

  /** Phrasing content, spoken in a run. */
  inline(node: Nodes): void {
    const { start, end } = this.span(node);
    switch (node.type) {
      case 'text':
        this.text(node.value, start, end);
        return;
      case 'inlineCode':
        // Short code in a sentence is usually a name (`useState`, `ls`): read it.
        this.builder.rewritten(node.value, start, end);
        return;
      case 'inlineMath':
        this.builder.space(start).rewritten(this.mathSpeaker!.speak(node.value), start, end);
        return;
      case 'break':
        this.builder.space(start);
        return;
      case 'image':
      case 'imageReference':
        if (node.alt) this.builder.space(start).rewritten(`image: ${node.alt}`, start, end);
        return;
      case 'link':
        // An autolink's text is the address itself: say where it goes, not every character.
        if (isAutolink(node) && this.language.toLowerCase().startsWith('en')) {
          this.builder.rewritten(linkWords(node.url), start, end);
          return;
        }
        this.children(node);
        return;
      case 'html':
      case 'footnoteReference':
        return;
      default:
        if ('children' in node) this.children(node);
    }
  }

  private children(node: Parents): void {
    for (const child of node.children) this.inline(child);
  }

  /** A text node: as written where the source holds exactly its value, else rewritten as a whole. */
  private text(value: string, start: number, end: number): void {
    if (this.source.slice(start, end) === value) {
      addSpeakable(this.builder, value, start, this.language);
      return;
    }
    // Escapes or entities (\*, &amp;): the value differs from the source, so it maps as one piece.
    const inner = new SpokenTextBuilder();
    addSpeakable(inner, value, 0, this.language);
    this.builder.rewritten(inner.build().text, start, end);
  }

  private span(node: Nodes): { start: number; end: number } {
    return {
      start: node.position?.start.offset ?? 0,
      end: node.position?.end.offset ?? 0,
    };
  }
}
