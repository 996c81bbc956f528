/**
 * Notes as CSV with the header lines Anki's CSV import reads (separator, HTML fields, which
 * columns hold the note type, deck and tags), so the file opens in a spreadsheet and imports into
 * Anki without choosing anything. Scheduling is not part of CSV; use the .apkg for that.
 */
import { stringify } from 'csv-stringify/sync';
import type { StudyExport } from '../study-export.js';
import { markdownToAnkiHtml, type MediaReference } from './field-markup.js';
import { NOTE_TYPES } from './legacy-schema.js';

export function writeAnkiCsv(
  data: Pick<StudyExport, 'decks' | 'notes'>,
  mediaReference?: MediaReference,
): string {
  const deckNames = new Map(data.decks.map((deck) => [deck.id, deck.path.join('::')]));
  const header = [
    '#separator:comma',
    '#html:true',
    '#columns:Note type,Deck,Field 1,Field 2,Tags',
    '#notetype column:1',
    '#deck column:2',
    '#tags column:5',
  ].join('\n');
  const rows = data.notes.map((note) => {
    const { content } = note;
    // CSV has no masks: an occlusion note goes out as a basic card showing its image.
    const [type, fields] =
      content.kind === 'image-occlusion'
        ? [NOTE_TYPES.basic, [`${content.header}\n\n![](${content.image})`, content.back]]
        : [
            NOTE_TYPES[content.kind],
            content.kind === 'cloze' ? [content.text, content.extra] : [content.front, content.back],
          ];
    return [
      type.name,
      deckNames.get(note.cards[0]?.deckId ?? '') ?? 'Default',
      ...fields.map((field) => markdownToAnkiHtml(field, mediaReference)),
      note.tags.join(' '),
    ];
  });
  return `${header}\n${stringify(rows, { record_delimiter: '\n' })}`;
}
