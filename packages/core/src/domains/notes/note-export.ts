/**
 * A note as a file: Markdown (the sanitised text under its title, stamps as plain `[12:34]`) or a
 * Word document built from the same syntax tree with `docx` (headings, paragraphs, bold, italic,
 * code, links, bullet and numbered lists, quotes). Nothing unsafe reaches either: both are made
 * from the sanitised Markdown.
 */
import {
  AlignmentType,
  Document,
  ExternalHyperlink,
  HeadingLevel,
  LevelFormat,
  Packer,
  Paragraph,
  TextRun,
  type ParagraphChild,
} from 'docx';
import type { List, Nodes, PhrasingContent, RootContent } from 'mdast';
import type { NoteExportFormat, WrittenNote } from '../../contract/index.js';
import { parseNoteMarkdown, withPlainStamps } from './note-markdown.js';

export interface NoteFile {
  fileName: string;
  mimeType: string;
  encoding: 'utf8' | 'base64';
  content: string;
}

export async function exportNote(note: WrittenNote, format: NoteExportFormat): Promise<NoteFile> {
  const base = fileBaseName(note.title);
  if (format === 'markdown') {
    return {
      fileName: `${base}.md`,
      mimeType: 'text/markdown',
      encoding: 'utf8',
      content: `# ${note.title}\n\n${withPlainStamps(note.markdown).trim()}\n`,
    };
  }
  const buffer = await Packer.toBuffer(noteDocument(note));
  return {
    fileName: `${base}.docx`,
    mimeType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    encoding: 'base64',
    content: buffer.toString('base64'),
  };
}

/** A file name any system accepts, from the title. */
function fileBaseName(title: string): string {
  const name = title
    .replace(/[\\/:*?"<>|\p{Cc}]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 80);
  return name || 'Note';
}

const HEADINGS = [
  HeadingLevel.HEADING_1,
  HeadingLevel.HEADING_2,
  HeadingLevel.HEADING_3,
  HeadingLevel.HEADING_4,
  HeadingLevel.HEADING_5,
  HeadingLevel.HEADING_6,
] as const;
const NUMBERED = 'numbered';

function noteDocument(note: WrittenNote): Document {
  const tree = parseNoteMarkdown(withPlainStamps(note.markdown));
  const body = new DocxBody();
  body.paragraphs.push(new Paragraph({ heading: HeadingLevel.TITLE, children: [new TextRun(note.title)] }));
  for (const node of tree.children) body.block(node, 0);
  return new Document({
    title: note.title,
    creator: 'Little Monster',
    numbering: {
      config: [
        {
          reference: NUMBERED,
          levels: [0, 1, 2, 3, 4, 5].map((level) => ({
            level,
            format: LevelFormat.DECIMAL,
            text: `%${level + 1}.`,
            alignment: AlignmentType.START,
            style: { paragraph: { indent: { left: 720 * (level + 1), hanging: 360 } } },
          })),
        },
      ],
    },
    sections: [{ children: body.paragraphs }],
  });
}

interface RunStyle {
  bold?: boolean;
  italics?: boolean;
  strike?: boolean;
  code?: boolean;
}

/** Walks the Markdown tree block by block into Word paragraphs. */
class DocxBody {
  readonly paragraphs: Paragraph[] = [];

  block(node: RootContent, depth: number, list?: { ordered: boolean }): void {
    switch (node.type) {
      case 'heading':
        this.paragraphs.push(
          new Paragraph({ heading: HEADINGS[node.depth - 1], children: runs(node.children, {}) }),
        );
        return;
      case 'paragraph':
        this.paragraphs.push(new Paragraph({ children: runs(node.children, {}), ...listProps(depth, list) }));
        return;
      case 'list':
        this.list(node, depth);
        return;
      case 'code':
        for (const line of node.value.split('\n'))
          this.paragraphs.push(new Paragraph({ children: [new TextRun({ text: line, font: 'Consolas' })] }));
        return;
      case 'math':
        this.paragraphs.push(
          new Paragraph({ children: [new TextRun({ text: node.value, font: 'Cambria Math' })] }),
        );
        return;
      case 'blockquote':
        for (const child of node.children) this.quote(child);
        return;
      case 'table':
        for (const row of node.children)
          this.paragraphs.push(
            new Paragraph({
              children: row.children.flatMap((cell, index) => [
                ...(index > 0 ? [new TextRun(' | ')] : []),
                ...runs(cell.children, {}),
              ]),
            }),
          );
        return;
      case 'thematicBreak':
        this.paragraphs.push(
          new Paragraph({
            children: [],
            border: { bottom: { style: 'single', size: 6, color: 'auto', space: 1 } },
          }),
        );
        return;
      default:
        return;
    }
  }

  private list(node: List, depth: number): void {
    for (const item of node.children)
      for (const child of item.children) this.block(child, depth + 1, { ordered: node.ordered === true });
  }

  private quote(node: RootContent): void {
    if (node.type === 'paragraph')
      this.paragraphs.push(
        new Paragraph({ children: runs(node.children, { italics: true }), indent: { left: 720 } }),
      );
    else this.block(node, 0);
  }
}

function listProps(depth: number, list?: { ordered: boolean }) {
  if (!list) return {};
  const level = Math.min(depth - 1, 5);
  return list.ordered ? { numbering: { reference: NUMBERED, level } } : { bullet: { level } };
}

function runs(nodes: PhrasingContent[], style: RunStyle): ParagraphChild[] {
  return nodes.flatMap((node) => run(node, style));
}

function run(node: Nodes, style: RunStyle): ParagraphChild[] {
  const text = (value: string, extra: RunStyle = {}) => {
    const { code, ...marks } = { ...style, ...extra };
    return new TextRun({ text: value, ...marks, ...(code ? { font: 'Consolas' } : {}) });
  };
  switch (node.type) {
    case 'text':
      return [text(node.value.replace(/\n/g, ' '))];
    case 'strong':
      return runs(node.children, { ...style, bold: true });
    case 'emphasis':
      return runs(node.children, { ...style, italics: true });
    case 'delete':
      return runs(node.children, { ...style, strike: true });
    case 'inlineCode':
      return [text(node.value, { code: true })];
    case 'inlineMath':
      return [text(node.value, { code: true })];
    case 'break':
      return [new TextRun({ text: '', break: 1 })];
    case 'link':
      return [
        new ExternalHyperlink({
          link: node.url,
          children: runs(node.children, style).filter((child) => child instanceof TextRun),
        }),
      ];
    case 'image':
      return node.alt ? [text(node.alt, { italics: true })] : [];
    default:
      return 'children' in node ? runs(node.children as PhrasingContent[], style) : [];
  }
}
