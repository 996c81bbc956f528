import JSZip from 'jszip';

/** Small but real Office Open XML packages, written part by part as Office lays them out. */

const xmlHeader = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
const escapeXml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const P =
  'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const PKG_REL = 'http://schemas.openxmlformats.org/package/2006/relationships';

function coreProperties(title: string): string {
  return `${xmlHeader}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>${escapeXml(title)}</dc:title></cp:coreProperties>`;
}

export interface TestSlide {
  title: string;
  /** Each entry is a text box; lines inside one box are its paragraphs. */
  boxes: string[][];
  notes?: string;
  /** Rows of cells, drawn as a table. */
  table?: string[][];
}

const textBody = (paragraphs: string[]) =>
  `<p:txBody><a:bodyPr/><a:lstStyle/>${paragraphs
    .map((paragraph) => {
      // Split a paragraph into two runs mid-way, as Office does when formatting changes.
      const middle = Math.floor(paragraph.length / 2);
      const runs = [paragraph.slice(0, middle), paragraph.slice(middle)].filter(Boolean);
      return `<a:p>${runs.map((run) => `<a:r><a:rPr lang="en-US"/><a:t>${escapeXml(run)}</a:t></a:r>`).join('')}</a:p>`;
    })
    .join('')}</p:txBody>`;

const shape = (id: number, placeholder: string | null, paragraphs: string[]) =>
  `<p:sp><p:nvSpPr><p:cNvPr id="${id}" name="Shape ${id}"/><p:cNvSpPr/><p:nvPr>${
    placeholder ? `<p:ph type="${placeholder}"/>` : ''
  }</p:nvPr></p:nvSpPr><p:spPr/>${textBody(paragraphs)}</p:sp>`;

const table = (rows: string[][]) =>
  `<p:graphicFrame><p:nvGraphicFramePr><p:cNvPr id="90" name="Table"/><p:cNvGraphicFramePr/><p:nvPr/></p:nvGraphicFramePr><p:xfrm/><a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/table"><a:tbl>${rows
    .map(
      (row) =>
        `<a:tr h="370840">${row.map((cell) => `<a:tc><a:txBody><a:bodyPr/><a:p><a:r><a:t>${escapeXml(cell)}</a:t></a:r></a:p></a:txBody></a:tc>`).join('')}</a:tr>`,
    )
    .join('')}</a:tbl></a:graphicData></a:graphic></p:graphicFrame>`;

/**
 * A presentation whose slide files are numbered in reverse of the show order (slide1.xml is the
 * last slide), so reading them in file order would be caught.
 */
export async function makePptx(slides: TestSlide[], options: { title?: string } = {}): Promise<Buffer> {
  const zip = new JSZip();
  const fileNumber = (index: number) => slides.length - index;
  zip.file(
    '[Content_Types].xml',
    `${xmlHeader}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/ppt/presentation.xml" ContentType="application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"/>${slides
      .map(
        (_, index) =>
          `<Override PartName="/ppt/slides/slide${fileNumber(index)}.xml" ContentType="application/vnd.openxmlformats-officedocument.presentationml.slide+xml"/>`,
      )
      .join('')}</Types>`,
  );
  zip.file(
    '_rels/.rels',
    `${xmlHeader}<Relationships xmlns="${PKG_REL}"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="ppt/presentation.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/></Relationships>`,
  );
  if (options.title) zip.file('docProps/core.xml', coreProperties(options.title));
  zip.file(
    'ppt/presentation.xml',
    `${xmlHeader}<p:presentation ${P}><p:sldIdLst>${slides
      .map((_, index) => `<p:sldId id="${256 + index}" r:id="rId${index + 10}"/>`)
      .join(
        '',
      )}</p:sldIdLst><p:sldSz cx="12192000" cy="6858000"/><p:notesSz cx="6858000" cy="9144000"/></p:presentation>`,
  );
  zip.file(
    'ppt/_rels/presentation.xml.rels',
    `${xmlHeader}<Relationships xmlns="${PKG_REL}">${slides
      .map(
        (_, index) =>
          `<Relationship Id="rId${index + 10}" Type="${REL}/slide" Target="slides/slide${fileNumber(index)}.xml"/>`,
      )
      .join('')}</Relationships>`,
  );
  slides.forEach((slide, index) => {
    const n = fileNumber(index);
    const boxes = slide.boxes.map((paragraphs, box) =>
      // Put the second box inside a group, as a grouped drawing would be.
      box === 1
        ? `<p:grpSp><p:nvGrpSpPr><p:cNvPr id="50" name="Group"/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr><p:grpSpPr/>${shape(20 + box, null, paragraphs)}</p:grpSp>`
        : shape(20 + box, box === 0 ? 'body' : null, paragraphs),
    );
    zip.file(
      `ppt/slides/slide${n}.xml`,
      `${xmlHeader}<p:sld ${P}><p:cSld><p:spTree><p:nvGrpSpPr><p:cNvPr id="1" name=""/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr><p:grpSpPr/>${shape(2, 'title', [slide.title])}${boxes.join('')}${
        slide.table ? table(slide.table) : ''
      }${shape(9, 'sldNum', [String(index + 1)])}</p:spTree></p:cSld></p:sld>`,
    );
    if (slide.notes) {
      zip.file(
        `ppt/slides/_rels/slide${n}.xml.rels`,
        `${xmlHeader}<Relationships xmlns="${PKG_REL}"><Relationship Id="rId1" Type="${REL}/notesSlide" Target="../notesSlides/notesSlide${n}.xml"/></Relationships>`,
      );
      zip.file(
        `ppt/notesSlides/notesSlide${n}.xml`,
        `${xmlHeader}<p:notes ${P}><p:cSld><p:spTree><p:nvGrpSpPr><p:cNvPr id="1" name=""/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr><p:grpSpPr/>${shape(2, 'sldImg', [])}${shape(3, 'body', slide.notes.split('\n'))}${shape(4, 'sldNum', [String(index + 1)])}</p:spTree></p:cSld></p:notes>`,
      );
    }
  });
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
}

export type TestDocxBlock =
  | { heading: 1 | 2; text: string }
  | { title: string }
  | { paragraph: string }
  | { bullets: string[] }
  | { table: string[][] };

const W =
  'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"';

const wordParagraph = (text: string, style?: string, numbered = false) =>
  `<w:p>${style || numbered ? `<w:pPr>${style ? `<w:pStyle w:val="${style}"/>` : ''}${numbered ? '<w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr>' : ''}</w:pPr>` : ''}<w:r><w:t xml:space="preserve">${escapeXml(text)}</w:t></w:r></w:p>`;

/** A Word document with real heading styles, a bulleted list and a table. */
export async function makeDocx(blocks: TestDocxBlock[], options: { title?: string } = {}): Promise<Buffer> {
  const zip = new JSZip();
  zip.file(
    '[Content_Types].xml',
    `${xmlHeader}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/><Override PartName="/word/numbering.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml"/></Types>`,
  );
  zip.file(
    '_rels/.rels',
    `${xmlHeader}<Relationships xmlns="${PKG_REL}"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="word/document.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/></Relationships>`,
  );
  if (options.title) zip.file('docProps/core.xml', coreProperties(options.title));
  zip.file(
    'word/_rels/document.xml.rels',
    `${xmlHeader}<Relationships xmlns="${PKG_REL}"><Relationship Id="rId1" Type="${REL}/styles" Target="styles.xml"/><Relationship Id="rId2" Type="${REL}/numbering" Target="numbering.xml"/></Relationships>`,
  );
  zip.file(
    'word/styles.xml',
    `${xmlHeader}<w:styles ${W}>${[
      ['Title', 'Title'],
      ['Heading1', 'heading 1'],
      ['Heading2', 'heading 2'],
    ]
      .map(
        ([id, name]) => `<w:style w:type="paragraph" w:styleId="${id}"><w:name w:val="${name}"/></w:style>`,
      )
      .join('')}</w:styles>`,
  );
  zip.file(
    'word/numbering.xml',
    `${xmlHeader}<w:numbering ${W}><w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:numFmt w:val="bullet"/><w:lvlText w:val="•"/></w:lvl></w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num></w:numbering>`,
  );
  const body = blocks
    .map((block) => {
      if ('heading' in block) return wordParagraph(block.text, `Heading${block.heading}`);
      if ('title' in block) return wordParagraph(block.title, 'Title');
      if ('paragraph' in block) return wordParagraph(block.paragraph);
      if ('bullets' in block)
        return block.bullets.map((item) => wordParagraph(item, undefined, true)).join('');
      return `<w:tbl>${block.table
        .map((row) => `<w:tr>${row.map((cell) => `<w:tc>${wordParagraph(cell)}</w:tc>`).join('')}</w:tr>`)
        .join('')}</w:tbl>`;
    })
    .join('');
  zip.file('word/document.xml', `${xmlHeader}<w:document ${W}><w:body>${body}</w:body></w:document>`);
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
}
