import { useEffect, useRef } from 'react';
import type { EditorView } from '@tiptap/pm/view';
import { Markdown } from '@tiptap/markdown';
import { EditorContent, useEditor, useEditorState, type Editor } from '@tiptap/react';
import StarterKit from '@tiptap/starter-kit';
import { BlockMath, InlineMath } from './math-nodes';
import { formatClock, stampHref, stampSecond } from '@little-monster/core/contract';

export interface MarkdownEditorProps {
  /** The note's Markdown when the editor opens; later changes come from the student. */
  initialMarkdown: string;
  onChange(markdown: string): void;
  label: string;
  /**
   * The lecture second to stamp a new paragraph with, or null for none. Asked when the student
   * starts typing into an empty paragraph.
   */
  stampSecond?: () => number | null;
  /** A stamp was clicked: play the lecture from that second. */
  onStampClick?: (second: number) => void;
}

/** Links a note may hold: the web, mail and lecture stamps (the engine sanitises the same way). */
const isAllowedLink = (url: string) => /^(https?:\/\/|mailto:)/i.test(url) || stampSecond(url) !== null;

/**
 * The notes editor: TipTap 3 (ProseMirror) reading and writing Markdown through @tiptap/markdown.
 * It runs under the app's CSP: no eval, and no injected stylesheet (`injectCSS: false`, the few
 * rules it needs are in notes.css). Only the schema's nodes exist, so raw HTML in a note never
 * becomes markup.
 */
export function MarkdownEditor({
  initialMarkdown,
  onChange,
  label,
  stampSecond: secondToStamp,
  onStampClick,
}: MarkdownEditorProps) {
  const callbacks = useRef({ onChange, secondToStamp, onStampClick });
  useEffect(() => {
    callbacks.current = { onChange, secondToStamp, onStampClick };
  }, [onChange, secondToStamp, onStampClick]);

  const editor = useEditor({
    extensions: [
      StarterKit.configure({
        link: { openOnClick: false, autolink: true, isAllowedUri: (url) => isAllowedLink(url) },
      }),
      InlineMath,
      BlockMath,
      Markdown,
    ],
    content: initialMarkdown,
    contentType: 'markdown',
    injectCSS: false,
    immediatelyRender: true,
    editorProps: {
      attributes: {
        'aria-label': label,
        'aria-multiline': 'true',
        role: 'textbox',
        class: 'note-editor-body',
      },
      handleTextInput: (view, from, to, text) =>
        stampNewParagraph(view, from, to, text, callbacks.current.secondToStamp?.() ?? null),
      handleDOMEvents: {
        // Links in a note never navigate the app's window; a stamp plays its lecture second.
        click: (_view, event) => {
          const link = (event.target as HTMLElement | null)?.closest?.('a');
          if (!link) return false;
          event.preventDefault();
          const second = stampSecond(link.getAttribute('href') ?? '');
          if (second !== null) callbacks.current.onStampClick?.(second);
          return true;
        },
      },
    },
    onUpdate: ({ editor }) => callbacks.current.onChange(editor.getMarkdown()),
  });

  return (
    <div className="note-editor">
      {editor ? <Toolbar editor={editor} /> : null}
      <EditorContent editor={editor} />
    </div>
  );
}

/**
 * Typing into an empty paragraph while a lecture plays or records: the paragraph opens with a
 * stamp of that second, `[12:34](#t=754)`, then what was typed. Returns false to let the editor
 * insert the text itself.
 */
export function stampNewParagraph(
  view: EditorView,
  from: number,
  to: number,
  text: string,
  second: number | null,
): boolean {
  const { state } = view;
  const $from = state.doc.resolve(from);
  if (
    second === null ||
    from !== to ||
    $from.parent.type.name !== 'paragraph' ||
    $from.parent.content.size > 0
  )
    return false;
  const link = state.schema.marks.link;
  if (!link) return false;
  const stamp = state.schema.text(formatClock(second * 1000), [link.create({ href: stampHref(second) })]);
  view.dispatch(state.tr.insert(from, [stamp, state.schema.text(` ${text}`)]).setStoredMarks([]));
  return true;
}

function Toolbar({ editor }: { editor: Editor }) {
  const active = useEditorState({
    editor,
    selector: ({ editor: current }) => ({
      h1: current.isActive('heading', { level: 1 }),
      h2: current.isActive('heading', { level: 2 }),
      bold: current.isActive('bold'),
      italic: current.isActive('italic'),
      bulletList: current.isActive('bulletList'),
      orderedList: current.isActive('orderedList'),
      codeBlock: current.isActive('codeBlock'),
    }),
  });
  const chain = () => editor.chain().focus();
  const tools: { key: keyof typeof active; label: string; text: string; run(): void }[] = [
    { key: 'h1', label: 'Heading', text: 'H1', run: () => chain().toggleHeading({ level: 1 }).run() },
    { key: 'h2', label: 'Subheading', text: 'H2', run: () => chain().toggleHeading({ level: 2 }).run() },
    { key: 'bold', label: 'Bold', text: 'B', run: () => chain().toggleBold().run() },
    { key: 'italic', label: 'Italic', text: 'I', run: () => chain().toggleItalic().run() },
    { key: 'bulletList', label: 'Bulleted list', text: '•', run: () => chain().toggleBulletList().run() },
    { key: 'orderedList', label: 'Numbered list', text: '1.', run: () => chain().toggleOrderedList().run() },
    { key: 'codeBlock', label: 'Code block', text: '</>', run: () => chain().toggleCodeBlock().run() },
  ];
  return (
    <div className="note-toolbar" role="toolbar" aria-label="Formatting">
      {tools.map((tool) => (
        <button
          key={tool.key}
          type="button"
          className="button button-small button-quiet"
          aria-label={tool.label}
          aria-pressed={active[tool.key]}
          title={tool.label}
          onMouseDown={(event) => event.preventDefault()}
          onClick={tool.run}
        >
          {tool.text}
        </button>
      ))}
    </div>
  );
}
