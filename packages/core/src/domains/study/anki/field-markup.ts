/**
 * Anki fields are HTML with MathJax (`\(…\)`, `\[…\]`), LaTeX tags and `[sound:…]`; our fields
 * are Markdown with KaTeX dollars. These two functions translate between them through syntax
 * trees (hast <-> mdast), so nothing is matched by regular expressions on markup and no raw HTML
 * survives into a card: scripts, styles and event attributes are dropped on the way in.
 */
import type { Element, Root as HastRoot, ElementContent } from 'hast';
import { fromHtml } from 'hast-util-from-html';
import { toHtml } from 'hast-util-to-html';
import { toMdast } from 'hast-util-to-mdast';
import type { Image, Link, PhrasingContent, Root as MdastRoot, RootContent, Text } from 'mdast';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { gfmFromMarkdown, gfmToMarkdown } from 'mdast-util-gfm';
import type { InlineMath, Math } from 'mdast-util-math';
import { mathFromMarkdown, mathToMarkdown } from 'mdast-util-math';
import { toHast } from 'mdast-util-to-hast';
import { toMarkdown } from 'mdast-util-to-markdown';
import { gfm } from 'micromark-extension-gfm';
import { math } from 'micromark-extension-math';
import { SKIP, visit } from 'unist-util-visit';

/** Maps a media file name as the source spells it to the reference stored in the other format. */
export type MediaReference = (name: string) => string;

const keepName: MediaReference = (name) => name;

// MathJax and Anki's LaTeX tags, in the order Anki itself tries them.
const MATH_OR_SOUND =
  /\\\((?<inline>[\s\S]+?)\\\)|\\\[(?<display>[\s\S]+?)\\\]|\[\$\](?<latexInline>[\s\S]+?)\[\/\$\]|\[\$\$\](?<latexDisplay>[\s\S]+?)\[\/\$\$\]|\[latex\](?<latex>[\s\S]+?)\[\/latex\]|\[sound:(?<sound>[^\]]+)\]/g;

const TO_MARKDOWN = { extensions: [gfmToMarkdown(), mathToMarkdown()] };
const FROM_MARKDOWN = {
  extensions: [gfm(), math()],
  mdastExtensions: [gfmFromMarkdown(), mathFromMarkdown()],
};
/** Words, numbers and punctuation that mean nothing in HTML or Markdown: the same text in both. */
const PLAIN_TEXT = /^[\p{L}\p{N}][\p{L}\p{N} ,.?'"():;%/-]*$/u;

/** Converts one Anki field (HTML) to Markdown. */
export function ankiHtmlToMarkdown(html: string, mediaReference: MediaReference = keepName): string {
  // Most fields of big shared decks are plain words; the trees cost about half a millisecond.
  if (PLAIN_TEXT.test(html) && !/^\d+[.)]\s/.test(html)) return html.replace(/\s+/g, ' ').trim();
  const hast = fromHtml(html, { fragment: true });
  const mdast = toMdast(hast) as MdastRoot;
  visit(mdast, 'image', (node: Image) => {
    node.url = mediaReference(decodeMediaName(node.url));
  });
  visit(mdast, 'text', (node: Text, index, parent) => {
    if (!parent || index === undefined) return;
    const replacement = splitMathAndSound(node.value, mediaReference);
    if (replacement.length === 1 && replacement[0]!.type === 'text') return;
    parent.children.splice(index, 1, ...(replacement as never[]));
    return [SKIP, index + replacement.length];
  });
  promoteDisplayMath(mdast);
  return toMarkdown(mdast, TO_MARKDOWN).trimEnd();
}

const DISPLAY = Symbol('display');
const isDisplay = (node: InlineMath) =>
  (node.data as Record<symbol, boolean> | undefined)?.[DISPLAY] === true;

function splitMathAndSound(value: string, mediaReference: MediaReference): PhrasingContent[] {
  const parts: PhrasingContent[] = [];
  let last = 0;
  for (const match of value.matchAll(MATH_OR_SOUND)) {
    if (match.index > last) parts.push({ type: 'text', value: value.slice(last, match.index) });
    const { inline, display, latexInline, latexDisplay, latex, sound } = match.groups!;
    if (sound !== undefined) {
      const name = sound.trim();
      parts.push({
        type: 'link',
        url: mediaReference(name),
        children: [{ type: 'text', value: `▶ ${name}` }],
      } satisfies Link);
    } else {
      const tex = (inline ?? latexInline ?? display ?? latexDisplay ?? latex)!.trim();
      const block = display !== undefined || latexDisplay !== undefined || latex !== undefined;
      parts.push({
        type: 'inlineMath',
        value: tex,
        data: block ? { [DISPLAY]: true } : undefined,
      } as InlineMath);
    }
    last = match.index + match[0].length;
  }
  if (last < value.length) parts.push({ type: 'text', value: value.slice(last) });
  return parts;
}

/**
 * A paragraph that is only display math becomes a math block, which renders centred. (A field
 * without block elements converts to bare phrasing under the root, which counts as one paragraph.)
 */
function promoteDisplayMath(root: MdastRoot): void {
  const isBlank = (node: RootContent) => node.type === 'text' && node.value.trim() === '';
  const soleDisplayMath = (nodes: RootContent[]) => {
    const content = nodes.filter((node) => !isBlank(node));
    const only = content.length === 1 ? content[0] : undefined;
    return only?.type === 'inlineMath' && isDisplay(only) ? only : undefined;
  };
  const whole = soleDisplayMath(root.children);
  if (whole) {
    root.children = [{ type: 'math', value: whole.value }];
    return;
  }
  root.children = root.children.map((child) => {
    const display = child.type === 'paragraph' ? soleDisplayMath(child.children) : undefined;
    return display ? ({ type: 'math', value: display.value } satisfies Math) : child;
  });
}

/** Anki writes `src="my%20image.png"` for some names and the bare name for others. */
function decodeMediaName(url: string): string {
  try {
    return decodeURIComponent(url);
  } catch {
    return url;
  }
}

/** Converts one Markdown field to the HTML Anki shows, with MathJax delimiters Anki renders. */
export function markdownToAnkiHtml(markdown: string, mediaReference: MediaReference = keepName): string {
  const mdast = fromMarkdown(markdown, FROM_MARKDOWN);
  visit(mdast, 'image', (node: Image) => {
    node.url = mediaReference(node.url);
  });
  const hast = toHast(mdast, {
    handlers: {
      inlineMath: (_state, node: InlineMath) => ({ type: 'text', value: `\\(${node.value}\\)` }),
      math: (_state, node: Math): Element => ({
        type: 'element',
        tagName: 'div',
        properties: {},
        children: [{ type: 'text', value: `\\[${node.value}\\]` }],
      }),
    },
  }) as HastRoot;
  return toHtml(unwrapSingleParagraph(hast));
}

/** Anki's own fields carry no `<p>` around a single line; keep short answers looking native. */
function unwrapSingleParagraph(root: HastRoot): HastRoot {
  const elements = root.children.filter((child) => !(child.type === 'text' && child.value.trim() === ''));
  const only = elements.length === 1 ? elements[0] : undefined;
  if (only?.type === 'element' && only.tagName === 'p') {
    return {
      type: 'root',
      children: only.children as ElementContent[] as RootContent[] as HastRoot['children'],
    };
  }
  return root;
}

/** Media file names an Anki field refers to (images and sounds), as they appear in the media map. */
export function mediaNamesInHtml(html: string): string[] {
  const names = new Set<string>();
  visit(fromHtml(html, { fragment: true }), 'element', (node: Element) => {
    const src = node.properties['src'];
    if (typeof src === 'string' && !/^[a-z]+:/i.test(src)) names.add(decodeMediaName(src));
  });
  for (const match of html.matchAll(/\[sound:([^\]]+)\]/g)) names.add(match[1]!.trim());
  return [...names];
}
