import { XMLParser } from 'fast-xml-parser';
import JSZip from 'jszip';
import { AppError } from '../contract/index.js';

/** An element as fast-xml-parser's ordered mode gives it: `{ tag: children, ':@': attributes }`. */
export type XmlNode = Record<string, unknown>;

const parser = new XMLParser({
  preserveOrder: true, // runs, breaks and shapes must stay in document order
  ignoreAttributes: false,
  attributeNamePrefix: '',
  trimValues: false, // " world" in a text run keeps its space
  parseTagValue: false,
  parseAttributeValue: false,
});

export async function openZip(data: Uint8Array, what: string): Promise<JSZip> {
  try {
    return await JSZip.loadAsync(data);
  } catch {
    throw new AppError(
      'INVALID_INPUT',
      `This ${what} is damaged and could not be opened. Save it again in Office and import the new copy.`,
    );
  }
}

/** The parsed part at `path`, or null when the package has no such part. */
export async function readXmlPart(zip: JSZip, path: string): Promise<XmlNode[] | null> {
  const entry = zip.file(path);
  if (!entry) return null;
  return parser.parse(await entry.async('string')) as XmlNode[];
}

export function tagOf(node: XmlNode): string | undefined {
  return Object.keys(node).find((key) => key !== ':@');
}

export function childrenOf(node: XmlNode): XmlNode[] {
  const tag = tagOf(node);
  const children = tag ? node[tag] : undefined;
  return Array.isArray(children) ? (children as XmlNode[]) : [];
}

export function attributeOf(node: XmlNode, name: string): string | undefined {
  const attributes = node[':@'] as Record<string, string> | undefined;
  return attributes?.[name];
}

export function textValueOf(node: XmlNode): string | undefined {
  const value = node['#text'];
  return value === undefined ? undefined : String(value);
}

/** Direct children named `tag`. */
export function childElements(node: XmlNode, tag: string): XmlNode[] {
  return childrenOf(node).filter((child) => tagOf(child) === tag);
}

/** The first descendant (depth first, in order) named `tag`. */
export function findFirst(nodes: XmlNode[], tag: string): XmlNode | undefined {
  for (const node of nodes) {
    if (tagOf(node) === tag) return node;
    const found = findFirst(childrenOf(node), tag);
    if (found) return found;
  }
  return undefined;
}

/** Every descendant named `tag`, in document order (not looking inside matches). */
export function findAll(nodes: XmlNode[], tag: string, into: XmlNode[] = []): XmlNode[] {
  for (const node of nodes) {
    if (tagOf(node) === tag) into.push(node);
    else findAll(childrenOf(node), tag, into);
  }
  return into;
}

/** Relationship id → target path, resolved against the folder of the part that owns them. */
export async function readRelationships(
  zip: JSZip,
  partPath: string,
): Promise<Map<string, { target: string; type: string }>> {
  const slash = partPath.lastIndexOf('/');
  const folder = partPath.slice(0, slash + 1);
  const relsPath = `${folder}_rels/${partPath.slice(slash + 1)}.rels`;
  const relationships = new Map<string, { target: string; type: string }>();
  for (const rel of findAll((await readXmlPart(zip, relsPath)) ?? [], 'Relationship')) {
    const id = attributeOf(rel, 'Id');
    const target = attributeOf(rel, 'Target');
    if (!id || !target || attributeOf(rel, 'TargetMode') === 'External') continue;
    relationships.set(id, { target: resolvePartPath(folder, target), type: attributeOf(rel, 'Type') ?? '' });
  }
  return relationships;
}

function resolvePartPath(folder: string, target: string): string {
  if (target.startsWith('/')) return target.slice(1);
  const parts = `${folder}${target}`.split('/');
  const resolved: string[] = [];
  for (const part of parts) {
    if (part === '..') resolved.pop();
    else if (part !== '.' && part !== '') resolved.push(part);
  }
  return resolved.join('/');
}

/** `dc:title` from docProps/core.xml, when the author set one. */
export async function coreTitle(zip: JSZip): Promise<string | null> {
  const title = findFirst((await readXmlPart(zip, 'docProps/core.xml')) ?? [], 'dc:title');
  const text = title
    ? childrenOf(title)
        .map((node) => textValueOf(node) ?? '')
        .join('')
        .trim()
    : '';
  return text || null;
}
