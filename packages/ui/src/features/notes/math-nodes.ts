import { InputRule, Node, type JSONContent, type MarkdownToken } from '@tiptap/core';
import katex from 'katex';

/**
 * KaTeX maths in notes, stored as Markdown's `$…$` (inline) and `$$ … $$` (a block of its own),
 * the syntax remark-math reads elsewhere in the app. Each formula is one atom whose LaTeX is kept
 * exactly as written (no Markdown escaping inside it) and drawn by KaTeX, which needs no eval.
 * Typing `$E = mc^2$` makes a formula; Backspace removes it whole.
 */

/** A formula drawn by KaTeX; a mistake in the LaTeX shows in red rather than breaking the note. */
function formulaView(latex: string, displayMode: boolean): HTMLElement {
  const dom = document.createElement(displayMode ? 'div' : 'span');
  dom.className = displayMode ? 'note-math note-math-block' : 'note-math';
  dom.setAttribute('data-latex', latex);
  dom.title = latex;
  katex.render(latex, dom, { displayMode, throwOnError: false, trust: false });
  return dom;
}

const latexAttribute = {
  latex: {
    default: '',
    parseHTML: (element: HTMLElement) => element.getAttribute('data-latex') ?? '',
    renderHTML: (attributes: Record<string, unknown>) => ({ 'data-latex': attributes.latex }),
  },
};

const latexOf = (node: JSONContent) => String(node.attrs?.latex ?? '');

/** `$…$`: not `$ 5` or `5$` (prices), no line break inside. */
const INLINE_MATH = /^\$(?![\s$])((?:\\.|[^$\\\n])+?)(?<!\s)\$(?!\d)/;
const BLOCK_MATH = /^\$\$\n?([\s\S]+?)\n?\$\$(?:\n|$)/;

export const InlineMath = Node.create({
  name: 'inlineMath',
  group: 'inline',
  inline: true,
  atom: true,
  selectable: true,
  addAttributes: () => latexAttribute,
  parseHTML: () => [{ tag: 'span[data-latex]' }],
  renderHTML: ({ HTMLAttributes }) => ['span', HTMLAttributes],
  addNodeView:
    () =>
    ({ node }) => ({ dom: formulaView(String(node.attrs.latex), false) }),
  addInputRules() {
    return [
      new InputRule({
        // The closing `$` being typed ends a formula opened after a space or at the line start.
        find: /(?:^|\s)(\$([^$\s](?:[^$]*[^$\s])?)\$)$/,
        handler: ({ state, range, match }) => {
          // The match starts at `range.from` (with the space before the formula, if any).
          const from = range.from + match[0].length - match[1]!.length;
          state.tr.replaceWith(from, range.to, this.type.create({ latex: match[2] }));
        },
      }),
    ];
  },
  markdownTokenizer: {
    name: 'inlineMath',
    level: 'inline',
    start: (src: string) => src.indexOf('$'),
    tokenize: (src: string) => {
      const match = INLINE_MATH.exec(src);
      return match ? { type: 'inlineMath', raw: match[0], latex: match[1] } : undefined;
    },
  },
  parseMarkdown: (token: MarkdownToken) => ({ type: 'inlineMath', attrs: { latex: token.latex as string } }),
  renderMarkdown: (node: JSONContent) => `$${latexOf(node)}$`,
});

export const BlockMath = Node.create({
  name: 'blockMath',
  group: 'block',
  atom: true,
  selectable: true,
  addAttributes: () => latexAttribute,
  parseHTML: () => [{ tag: 'div[data-latex]' }],
  renderHTML: ({ HTMLAttributes }) => ['div', HTMLAttributes],
  addNodeView:
    () =>
    ({ node }) => ({ dom: formulaView(String(node.attrs.latex), true) }),
  markdownTokenizer: {
    name: 'blockMath',
    level: 'block',
    start: (src: string) => src.indexOf('$$'),
    tokenize: (src: string) => {
      const match = BLOCK_MATH.exec(src);
      return match ? { type: 'blockMath', raw: match[0], latex: match[1]!.trim() } : undefined;
    },
  },
  parseMarkdown: (token: MarkdownToken) => ({ type: 'blockMath', attrs: { latex: token.latex as string } }),
  renderMarkdown: (node: JSONContent) => `$$\n${latexOf(node)}\n$$`,
});
