/**
 * Anki's collection schema 11, the one every Anki version reads: the tables and indexes of
 * Anki's `schema11.sql`, and the note type, deck and deck-options JSON it keeps in `col`.
 */
import { createHash, randomBytes } from 'node:crypto';
import { fromHtml } from 'hast-util-from-html';
import type { Element, Text } from 'hast';
import { SKIP, visit } from 'unist-util-visit';

export const SCHEMA11_SQL = `
CREATE TABLE col (id integer PRIMARY KEY, crt integer NOT NULL, mod integer NOT NULL, scm integer NOT NULL,
  ver integer NOT NULL, dty integer NOT NULL, usn integer NOT NULL, ls integer NOT NULL, conf text NOT NULL,
  models text NOT NULL, decks text NOT NULL, dconf text NOT NULL, tags text NOT NULL);
CREATE TABLE notes (id integer PRIMARY KEY, guid text NOT NULL, mid integer NOT NULL, mod integer NOT NULL,
  usn integer NOT NULL, tags text NOT NULL, flds text NOT NULL, sfld integer NOT NULL, csum integer NOT NULL,
  flags integer NOT NULL, data text NOT NULL);
CREATE TABLE cards (id integer PRIMARY KEY, nid integer NOT NULL, did integer NOT NULL, ord integer NOT NULL,
  mod integer NOT NULL, usn integer NOT NULL, type integer NOT NULL, queue integer NOT NULL, due integer NOT NULL,
  ivl integer NOT NULL, factor integer NOT NULL, reps integer NOT NULL, lapses integer NOT NULL,
  left integer NOT NULL, odue integer NOT NULL, odid integer NOT NULL, flags integer NOT NULL, data text NOT NULL);
CREATE TABLE revlog (id integer PRIMARY KEY, cid integer NOT NULL, usn integer NOT NULL, ease integer NOT NULL,
  ivl integer NOT NULL, lastIvl integer NOT NULL, factor integer NOT NULL, time integer NOT NULL, type integer NOT NULL);
CREATE TABLE graves (usn integer NOT NULL, oid integer NOT NULL, type integer NOT NULL);
CREATE INDEX ix_notes_usn ON notes (usn);
CREATE INDEX ix_cards_usn ON cards (usn);
CREATE INDEX ix_revlog_usn ON revlog (usn);
CREATE INDEX ix_cards_nid ON cards (nid);
CREATE INDEX ix_cards_sched ON cards (did, queue, due);
CREATE INDEX ix_revlog_cid ON revlog (cid);
CREATE INDEX ix_notes_csum ON notes (csum);
`;

export const FIELD_SEPARATOR = '\x1f';

const MEDIA_TAGS = new Set(['img', 'audio', 'video', 'object', 'source']);

/**
 * Anki's `strip_html_preserving_media_filenames`: the field's text with tags removed, entities
 * decoded and media elements replaced by their file names. The sort field and checksum use it.
 */
export function stripHtmlKeepingMediaNames(html: string): string {
  const parts: string[] = [];
  visit(fromHtml(html, { fragment: true }), (node) => {
    if (node.type === 'text') parts.push((node as Text).value);
    if (node.type !== 'element') return;
    const element = node as Element;
    if (element.tagName === 'script' || element.tagName === 'style') return SKIP;
    const source = element.properties['src'] ?? element.properties['data'];
    if (MEDIA_TAGS.has(element.tagName) && typeof source === 'string') parts.push(` ${source} `);
  });
  return parts.join('').replace(/\u00a0/g, ' ');
}

/** The first 8 hex digits of the SHA-1 of field 0 (stripped), read as an integer: Anki's duplicate check. */
export function fieldChecksum(firstFieldHtml: string): number {
  return createHash('sha1').update(stripHtmlKeepingMediaNames(firstFieldHtml)).digest().readUInt32BE(0);
}

const BASE91 = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&()*+,-./:;<=>?@[]^_`{|}~';

/** A note guid as Anki makes them: a random 64-bit number in base 91. */
export function newAnkiGuid(): string {
  let value = randomBytes(8).readBigUInt64BE();
  let guid = '';
  while (value > 0n) {
    guid = BASE91[Number(value % 91n)] + guid;
    value /= 91n;
  }
  return guid || BASE91[0]!;
}

export interface NoteTypeSpec {
  id: number;
  name: string;
  cloze: boolean;
  fields: string[];
  templates: { name: string; qfmt: string; afmt: string }[];
  /** Anki's `OriginalStockKind` when the type is one Anki treats specially (6: image occlusion). */
  stockKind?: number;
  css?: string;
}

const ANSWER_SEPARATOR = '\n\n<hr id=answer>\n\n';
const CSS =
  '.card {\n    font-family: arial;\n    font-size: 20px;\n    text-align: center;\n    color: black;\n    background-color: white;\n}\n';
const CLOZE_CSS = `${CSS}\n.cloze {\n    font-weight: bold;\n    color: blue;\n}\n.nightMode .cloze {\n    color: lightblue;\n}\n`;

/** Anki's own image occlusion template, which its reviewer draws the masks from. */
const IO_FRONT = `{{#Header}}<div>{{Header}}</div>{{/Header}}
<div style="display: none">{{cloze:Occlusion}}</div>
<div id="err"></div>
<div id="image-occlusion-container">
    {{Image}}
    <canvas id="image-occlusion-canvas"></canvas>
</div>
<script>
try {
    anki.imageOcclusion.setup();
} catch (exc) {
    document.getElementById("err").innerHTML = \`Error loading image occlusion. Is your Anki version up to date?<br><br>\${exc}\`;
}
</script>
`;
const IO_BACK = `${IO_FRONT}
<div><button id="toggle">Toggle Masks</button></div>
{{#Back Extra}}<div>{{Back Extra}}</div>{{/Back Extra}}
`;

/** Our note kinds as Anki's stock note types, under fixed ids so repeated exports reuse them. */
export const NOTE_TYPES = {
  basic: {
    id: 1_720_000_000_001,
    name: 'Basic',
    cloze: false,
    fields: ['Front', 'Back'],
    templates: [{ name: 'Card 1', qfmt: '{{Front}}', afmt: `{{FrontSide}}${ANSWER_SEPARATOR}{{Back}}` }],
  },
  'basic-reversed': {
    id: 1_720_000_000_002,
    name: 'Basic (and reversed card)',
    cloze: false,
    fields: ['Front', 'Back'],
    templates: [
      { name: 'Card 1', qfmt: '{{Front}}', afmt: `{{FrontSide}}${ANSWER_SEPARATOR}{{Back}}` },
      { name: 'Card 2', qfmt: '{{Back}}', afmt: `{{FrontSide}}${ANSWER_SEPARATOR}{{Front}}` },
    ],
  },
  cloze: {
    id: 1_720_000_000_003,
    name: 'Cloze',
    cloze: true,
    fields: ['Text', 'Back Extra'],
    templates: [{ name: 'Cloze', qfmt: '{{cloze:Text}}', afmt: '{{cloze:Text}}<br>\n{{Back Extra}}' }],
  },
  'image-occlusion': {
    id: 1_720_000_000_004,
    name: 'Image Occlusion',
    cloze: true,
    // Anki finds the parts of an occlusion note by these fields' `tag`s (their order here).
    fields: ['Occlusion', 'Image', 'Header', 'Back Extra', 'Comments'],
    templates: [{ name: 'Image Occlusion', qfmt: IO_FRONT, afmt: IO_BACK }],
    stockKind: 6,
    css: `#image-occlusion-canvas {\n    --inactive-shape-color: #ffeba2;\n    --active-shape-color: #ff8e8e;\n    --inactive-shape-border: 1px #212121;\n    --active-shape-border: 1px #212121;\n    --highlight-shape-color: #ff8e8e00;\n    --highlight-shape-border: 1px #ff8e8e;\n}\n\n${CSS}`,
  },
} satisfies Record<string, NoteTypeSpec>;

/** `col.models` entry for a note type (every key Anki's schema-11 reader requires). */
export function noteTypeJson(spec: NoteTypeSpec, modified: number, deckId: number): Record<string, unknown> {
  return {
    id: spec.id,
    name: spec.name,
    type: spec.cloze ? 1 : 0,
    mod: modified,
    usn: -1,
    sortf: 0,
    did: deckId,
    tags: [],
    vers: [],
    css: spec.css ?? (spec.cloze ? CLOZE_CSS : CSS),
    ...(spec.stockKind ? { originalStockKind: spec.stockKind } : {}),
    latexPre:
      '\\documentclass[12pt]{article}\n\\special{papersize=3in,5in}\n\\usepackage[utf8]{inputenc}\n\\usepackage{amssymb,amsmath}\n\\pagestyle{empty}\n\\setlength{\\parindent}{0in}\n\\begin{document}\n',
    latexPost: '\\end{document}',
    latexsvg: false,
    flds: spec.fields.map((name, ord) => ({
      name,
      ord,
      sticky: false,
      rtl: false,
      font: 'Arial',
      size: 20,
      media: [],
      description: '',
      ...(spec.stockKind ? { tag: ord, preventDeletion: ord < 4 } : {}),
    })),
    tmpls: spec.templates.map((template, ord) => ({
      name: template.name,
      ord,
      qfmt: template.qfmt,
      afmt: template.afmt,
      bqfmt: '',
      bafmt: '',
      did: null,
      bfont: '',
      bsize: 0,
    })),
    // Card `ord` is made when field `ord` is non-empty; cloze types make cards from the text.
    req: spec.cloze ? [[0, 'any', [0]]] : spec.templates.map((_, ord) => [ord, 'any', [ord]]),
  };
}

/** `col.decks` entry. */
export function deckJson(id: number, name: string, description: string, configId: number, modified: number) {
  return {
    id,
    name,
    desc: description,
    conf: configId,
    dyn: 0,
    collapsed: false,
    browserCollapsed: false,
    extendNew: 0,
    extendRev: 0,
    usn: -1,
    mod: modified,
    newToday: [0, 0],
    revToday: [0, 0],
    lrnToday: [0, 0],
    timeToday: [0, 0],
  };
}

export interface DeckConfigSpec {
  name: string;
  learnStepsMinutes: number[];
  relearnStepsMinutes: number[];
  newPerDay: number;
  reviewsPerDay: number;
  maximumInterval: number;
  desiredRetention: number;
  fsrsWeights: readonly number[];
  easyDays: readonly number[];
}

/** `col.dconf` entry (every key Anki's schema-11 reader requires, plus its FSRS keys). */
export function deckConfigJson(id: number, spec: DeckConfigSpec, modified: number) {
  return {
    id,
    name: spec.name,
    mod: modified,
    usn: -1,
    maxTaken: 60,
    autoplay: true,
    timer: 0,
    replayq: true,
    dyn: false,
    new: {
      bury: false,
      delays: spec.learnStepsMinutes,
      initialFactor: 2500,
      ints: [1, 4, 0],
      order: 1,
      perDay: spec.newPerDay,
    },
    rev: {
      bury: false,
      ease4: 1.3,
      ivlFct: 1,
      maxIvl: spec.maximumInterval,
      perDay: spec.reviewsPerDay,
      hardFactor: 1.2,
    },
    lapse: { delays: spec.relearnStepsMinutes, leechAction: 1, leechFails: 8, minInt: 1, mult: 0 },
    desiredRetention: spec.desiredRetention,
    fsrsParams6: [...spec.fsrsWeights],
    easyDaysPercentages: [...spec.easyDays],
  };
}

/** `col.conf`: the collection settings Anki expects to find. */
export function collectionConfJson(currentDeck: number, currentModel: number) {
  return {
    activeDecks: [currentDeck],
    curDeck: currentDeck,
    newSpread: 0,
    collapseTime: 1200,
    timeLim: 0,
    estTimes: true,
    dueCounts: true,
    curModel: currentModel,
    nextPos: 1,
    sortType: 'noteFld',
    sortBackwards: false,
    addToCur: true,
  };
}
