import { AppError } from '../contract/index.js';
import type { ExtractedDocument, ExtractedPage } from './extracted-document.js';
import {
  attributeOf,
  childElements,
  childrenOf,
  coreTitle,
  findAll,
  findFirst,
  openOoxml,
  readRelationships,
  readXmlPart,
  tagOf,
  textValueOf,
  type OoxmlPackage,
  type XmlNode,
} from './ooxml.js';
import { PageTextBuilder } from './page-text-builder.js';

const PRESENTATION = 'ppt/presentation.xml';
const EMU_PER_POINT = 12_700;
/** Placeholders that repeat on every slide and say nothing about its content. */
const CHROME_PLACEHOLDERS = new Set(['sldNum', 'dt', 'ftr', 'hdr', 'sldImg']);
const TITLE_PLACEHOLDERS = new Set(['title', 'ctrTitle']);

/** One page per slide, in presentation order: the title as a heading, text boxes as paragraphs, notes kept. */
export async function extractSlides(
  path: string,
  fallbackTitle: string,
  options: { signal?: AbortSignal; onProgress?: (fraction: number, message: string) => void } = {},
): Promise<ExtractedDocument> {
  const pkg = await openOoxml(path, 'presentation');
  const presentation = readXmlPart(pkg, PRESENTATION);
  if (!presentation) {
    throw new AppError('INVALID_INPUT', 'This presentation is damaged: its list of slides is missing.');
  }
  const relationships = readRelationships(pkg, PRESENTATION);
  const slidePaths = findAll(presentation, 'p:sldId').flatMap((slideId) => {
    const target = relationships.get(attributeOf(slideId, 'r:id') ?? '')?.target;
    return target ? [target] : [];
  });
  const size = findFirst(presentation, 'p:sldSz');
  const width = Number(size && attributeOf(size, 'cx')) / EMU_PER_POINT || undefined;
  const height = Number(size && attributeOf(size, 'cy')) / EMU_PER_POINT || undefined;

  const pages: ExtractedPage[] = [];
  const warnings: string[] = [];
  let firstSlideTitle: string | null = null;
  for (const [index, slidePath] of slidePaths.entries()) {
    if (options.signal?.aborted) throw new AppError('CANCELLED', 'Cancelled.');
    const number = index + 1;
    options.onProgress?.(index / slidePaths.length, `Reading slide ${number} of ${slidePaths.length}`);
    const slide = readPart(pkg, slidePath);
    if (!slide) {
      warnings.push(`Slide ${number} could not be read and was skipped.`);
      continue;
    }
    const { text, blocks, title } = slideText(slide);
    if (number === 1) firstSlideTitle = title;
    const notes = speakerNotes(pkg, slidePath);
    pages.push({
      number,
      text,
      blocks,
      words: [],
      ...(notes ? { notes } : {}),
      source: 'document',
      ...(width && height ? { width, height } : {}),
    });
  }
  if (pages.length === 0 && slidePaths.length > 0) {
    throw new AppError(
      'INVALID_INPUT',
      'None of the slides in this presentation could be read: it may be damaged.',
    );
  }
  if (pages.length > 0 && pages.every((page) => !page.text && !page.notes)) {
    warnings.push(
      'No text was found on these slides. If they are pictures of text, export them as a PDF and import that.',
    );
  }
  return {
    type: 'slides',
    mimeType: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
    title: coreTitle(pkg) ?? firstSlideTitle ?? fallbackTitle,
    pages,
    warnings,
  };
}

/** A part that is missing or not well-formed XML is skipped (and reported) rather than failing the whole file. */
function readPart(pkg: OoxmlPackage, path: string): XmlNode[] | null {
  try {
    return readXmlPart(pkg, path);
  } catch {
    return null;
  }
}

function slideText(slide: XmlNode[]) {
  const builder = new PageTextBuilder();
  let title: string | null = null;
  const tree = findFirst(slide, 'p:spTree');
  const visit = (shapes: XmlNode[]) => {
    for (const shape of shapes) {
      const tag = tagOf(shape);
      if (tag === 'p:grpSp') visit(childrenOf(shape));
      else if (tag === 'p:graphicFrame') builder.addBlock('table', tableText(shape));
      else if (tag === 'p:sp') {
        const placeholder = findFirst(childrenOf(shape), 'p:ph');
        const type = placeholder ? (attributeOf(placeholder, 'type') ?? 'body') : null;
        if (type && CHROME_PLACEHOLDERS.has(type)) continue;
        const text = textBodyText(shape);
        if (type && TITLE_PLACEHOLDERS.has(type) && text) {
          builder.addBlock('heading', text.replace(/\s*\n\s*/g, ' '), 1);
          title ??= text.replace(/\s+/g, ' ');
        } else {
          builder.addBlock('paragraph', text);
        }
      }
    }
  };
  visit(tree ? childrenOf(tree) : []);
  return { ...builder.finish(), title };
}

/** The paragraphs of a shape's text body, one line each. */
function textBodyText(shape: XmlNode): string {
  const body = findFirst(childrenOf(shape), 'p:txBody');
  if (!body) return '';
  return childElements(body, 'a:p')
    .map(paragraphText)
    .filter((line) => line.trim())
    .join('\n');
}

function paragraphText(paragraph: XmlNode): string {
  return childrenOf(paragraph)
    .map((child) => {
      const tag = tagOf(child);
      if (tag === 'a:br') return '\n';
      if (tag === 'a:r' || tag === 'a:fld') {
        return childElements(child, 'a:t')
          .flatMap(childrenOf)
          .map((node) => textValueOf(node) ?? '')
          .join('');
      }
      return '';
    })
    .join('');
}

function tableText(frame: XmlNode): string {
  return findAll(childrenOf(frame), 'a:tr')
    .map((row) =>
      findAll(childrenOf(row), 'a:tc')
        .map((cell) =>
          findAll(childrenOf(cell), 'a:p').map(paragraphText).join(' ').replace(/\s+/g, ' ').trim(),
        )
        .join(' | '),
    )
    .join('\n');
}

/** The notes page's body text (not its slide picture or slide number). */
function speakerNotes(pkg: OoxmlPackage, slidePath: string): string | null {
  const relationships = readRelationships(pkg, slidePath);
  const notesPath = [...relationships.values()].find((rel) => rel.type.endsWith('/notesSlide'))?.target;
  const notes = notesPath ? readPart(pkg, notesPath) : null;
  if (!notes) return null;
  const text = findAll(notes, 'p:sp')
    .filter((shape) => {
      const placeholder = findFirst(childrenOf(shape), 'p:ph');
      return placeholder !== undefined && attributeOf(placeholder, 'type') === 'body';
    })
    .map(textBodyText)
    .filter(Boolean)
    .join('\n');
  return text || null;
}
