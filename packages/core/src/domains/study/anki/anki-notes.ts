/**
 * Anki notes as our notes. Cloze note types become cloze notes (the cloze field, plus the other
 * fields the back shows as "extra"). Any other note type becomes basic cards by what its templates
 * show: a card's front is the fields its front template names, its back the fields only the back
 * template adds. Two cards that mirror each other (Anki's "Basic (and reversed card)") become one
 * basic-and-reversed note. Fields are converted from HTML to Markdown.
 */
import { ClozeSyntaxError, clozeCardNumbers, parseCloze } from '../cards/cloze.js';
import type { NoteContent } from '../cards/note-content.js';
import type { ImportedCard } from '../study-import.js';
import type { AnkiNoteType } from './anki-collection.js';
import { ankiHtmlToMarkdown, mediaNamesInHtml, type MediaReference } from './field-markup.js';
import { parseOcclusions } from './image-occlusion.js';

/** Names Anki's templates use that are not fields. */
const SPECIAL_NAMES = new Set(['FrontSide', 'Tags', 'Type', 'Deck', 'Subdeck', 'Card', 'CardFlag', 'CardID']);

interface FieldReference {
  name: string;
  filters: string[];
}

/** The fields a template shows, in order (`{{Front}}`, `{{cloze:Text}}`, `{{#Extra}}…`). */
export function templateFields(template: string): FieldReference[] {
  const references: FieldReference[] = [];
  for (const match of template.matchAll(/\{\{([^{}]+)\}\}/g)) {
    const token = match[1]!.trim();
    if (/^[#^/!]/.test(token)) continue;
    const parts = token.split(':');
    const name = parts.pop()!.trim();
    if (!name || SPECIAL_NAMES.has(name) || references.some((reference) => reference.name === name)) continue;
    references.push({ name, filters: parts.map((filter) => filter.trim()) });
  }
  return references;
}

export type NoteProblem =
  | { kind: 'unbalanced-cloze'; excerpt: string; message: string }
  | { kind: 'empty-card' }
  | { kind: 'unsupported-note-type'; noteType: string };

export interface ConvertedNote {
  /** A suffix for the note's source id when one Anki note becomes several of ours. */
  part: string;
  content: NoteContent;
  cards: Omit<ImportedCard, 'log' | 'deckSourceId' | 'suspended' | 'sourceId'>[];
  /** Which Anki card (by template ordinal) each of `cards` came from. */
  ankiOrdinals: number[];
}

export interface NoteConversion {
  notes: ConvertedNote[];
  problems: NoteProblem[];
}

/**
 * Converts one Anki note, given its field values (HTML) and the template ordinals of the cards it
 * has. Cards with nothing on the front are reported, not made.
 */
export function convertAnkiNote(
  noteType: AnkiNoteType,
  fieldValues: string[],
  ankiOrdinals: number[],
  mediaReference: MediaReference,
): NoteConversion {
  const fieldsByName = new Map(noteType.fields.map((name, index) => [name, fieldValues[index] ?? '']));
  const markdown = (name: string) => ankiHtmlToMarkdown(fieldsByName.get(name) ?? '', mediaReference).trim();
  const joined = (names: string[]) =>
    names
      .map(markdown)
      .filter((value) => value !== '')
      .join('\n\n');
  return noteType.kind === 'cloze'
    ? convertCloze(noteType, fieldsByName, ankiOrdinals, markdown, joined, mediaReference)
    : convertStandard(noteType, ankiOrdinals, joined);
}

function convertCloze(
  noteType: AnkiNoteType,
  fieldsByName: Map<string, string>,
  ankiOrdinals: number[],
  markdown: (name: string) => string,
  joined: (names: string[]) => string,
  mediaReference: MediaReference,
): NoteConversion {
  const template = noteType.templates[0] ?? { front: '', back: '' };
  const front = templateFields(template.front);
  const clozeField =
    front.find((reference) => reference.filters.includes('cloze'))?.name ?? noteType.fields[0] ?? '';
  const rawText = fieldsByName.get(clozeField) ?? '';
  if (rawText.includes('image-occlusion:')) {
    return convertImageOcclusion(noteType, fieldsByName, clozeField, ankiOrdinals, joined, mediaReference);
  }
  const text = markdown(clozeField);
  let numbers: number[];
  try {
    numbers = clozeCardNumbers(parseCloze(text));
  } catch (error) {
    if (!(error instanceof ClozeSyntaxError)) throw error;
    return {
      notes: [],
      problems: [{ kind: 'unbalanced-cloze', excerpt: excerpt(text), message: error.message }],
    };
  }
  const extra = joined(
    templateFields(template.back)
      .map((reference) => reference.name)
      .filter((name) => name !== clozeField),
  );
  const kept = ankiOrdinals.filter((ordinal) => numbers.includes(ordinal + 1));
  const problems: NoteProblem[] = ankiOrdinals
    .filter((ordinal) => !kept.includes(ordinal))
    .map(() => ({ kind: 'empty-card' }));
  if (kept.length === 0) return { notes: [], problems };
  return {
    notes: [
      {
        part: '',
        content: { kind: 'cloze', text, extra },
        cards: kept.map((ordinal) => ({ ordinal })),
        ankiOrdinals: kept,
      },
    ],
    problems,
  };
}

function convertImageOcclusion(
  noteType: AnkiNoteType,
  fieldsByName: Map<string, string>,
  clozeField: string,
  ankiOrdinals: number[],
  joined: (names: string[]) => string,
  mediaReference: MediaReference,
): NoteConversion {
  const masks = parseOcclusions(fieldsByName.get(clozeField) ?? '');
  if (!masks)
    return {
      notes: [],
      problems: [{ kind: 'unsupported-note-type', noteType: `${noteType.name} (shapes in pixels)` }],
    };
  const imageField = noteType.fields.find(
    (name) => name !== clozeField && mediaNamesInHtml(fieldsByName.get(name) ?? '').length > 0,
  );
  const image = imageField ? mediaNamesInHtml(fieldsByName.get(imageField)!)[0]! : null;
  const groups = new Set(masks.map((mask) => mask.group));
  const kept = ankiOrdinals.filter((ordinal) => groups.has(ordinal + 1));
  const problems: NoteProblem[] = ankiOrdinals
    .filter((ordinal) => !kept.includes(ordinal))
    .map(() => ({ kind: 'empty-card' }));
  if (image === null || kept.length === 0)
    return { notes: [], problems: [...problems, { kind: 'empty-card' }] };
  const template = noteType.templates[0] ?? { front: '', back: '' };
  const shown = (side: string) =>
    templateFields(side)
      .map((reference) => reference.name)
      .filter((name) => name !== clozeField && name !== imageField);
  const headerFields = shown(template.front);
  return {
    notes: [
      {
        part: '',
        content: {
          kind: 'image-occlusion',
          image: mediaReference(image),
          masks,
          header: joined(headerFields),
          back: joined(shown(template.back).filter((name) => !headerFields.includes(name))),
        },
        cards: kept.map((ordinal) => ({ ordinal })),
        ankiOrdinals: kept,
      },
    ],
    problems,
  };
}

function convertStandard(
  noteType: AnkiNoteType,
  ankiOrdinals: number[],
  joined: (names: string[]) => string,
): NoteConversion {
  const sides = new Map<number, { front: string; back: string }>();
  const problems: NoteProblem[] = [];
  for (const ordinal of ankiOrdinals) {
    const template = noteType.templates[ordinal];
    if (!template) {
      problems.push({ kind: 'empty-card' });
      continue;
    }
    const frontNames = templateFields(template.front).map((reference) => reference.name);
    const backNames = templateFields(template.back)
      .map((reference) => reference.name)
      .filter((name) => !frontNames.includes(name));
    const front = joined(frontNames);
    if (front === '') {
      problems.push({ kind: 'empty-card' });
      continue;
    }
    sides.set(ordinal, { front, back: joined(backNames) });
  }
  const forward = sides.get(0);
  const reverse = sides.get(1);
  if (
    sides.size === 2 &&
    forward &&
    reverse &&
    forward.front === reverse.back &&
    forward.back === reverse.front
  ) {
    return {
      notes: [
        {
          part: '',
          content: { kind: 'basic-reversed', ...forward },
          cards: [{ ordinal: 0 }, { ordinal: 1 }],
          ankiOrdinals: [0, 1],
        },
      ],
      problems,
    };
  }
  const notes = [...sides].map(([ordinal, side]) => ({
    part: sides.size === 1 ? '' : `:${ordinal}`,
    content: { kind: 'basic' as const, ...side },
    cards: [{ ordinal: 0 }],
    ankiOrdinals: [ordinal],
  }));
  return { notes, problems };
}

function excerpt(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 60 ? `${line.slice(0, 60)}…` : line;
}
