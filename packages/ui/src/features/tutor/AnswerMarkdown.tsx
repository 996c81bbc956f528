import {
  createContext,
  memo,
  useContext,
  useId,
  useMemo,
  useState,
  type ComponentProps,
  type ReactNode,
} from 'react';
import Markdown, { type Components } from 'react-markdown';
import { Link } from 'react-router';
import rehypeKatex from 'rehype-katex';
import remarkGfm from 'remark-gfm';
import remarkMath from 'remark-math';
import type { TutorSource } from '@little-monster/core/contract';
import { describeLocation, sourcePath } from '../../app/source-link';
import { remarkCitations, trimUnfinishedCitation } from './citations';
import { splitBlocks } from './markdown-blocks';
import { samePassage, useSourcePanel } from './source-panel-context';

const SourcesContext = createContext<ReadonlyMap<number, TutorSource>>(new Map());

/** Only web and mail links leave the app; anything else (javascript:, file:, relative) is dropped. */
export function safeUrl(url: string): string {
  const trimmed = url.trim();
  return /^(https?:\/\/|mailto:)/i.test(trimmed) ? trimmed : '';
}

/** The passage's first words, shown while the pointer or the focus rests on its chip. */
function CitationPreview({ id, source, name }: { id: string; source: TutorSource; name: string }) {
  return (
    <span id={id} role="tooltip" className="cite-preview">
      <span className="cite-preview-name">{name}</span>
      {source.excerpt ? <span className="cite-preview-text">{source.excerpt}</span> : null}
    </span>
  );
}

/**
 * A citation. On the tutor page it opens the passage in the panel beside the chat (the
 * conversation stays in view); elsewhere it is a link to the source's own page.
 */
export function CitationChip({ source }: { source: TutorSource }) {
  const panel = useSourcePanel();
  const previewId = useId();
  const [previewing, setPreviewing] = useState(false);
  const spot = describeLocation(source);
  const name = spot ? `${source.title}, ${spot}` : source.title;
  const face = (
    <>
      <span className="cite-n" aria-hidden="true">
        {source.n}
      </span>
      <span className="cite-title">{source.title}</span>
      {spot ? <span className="cite-spot">{spot}</span> : null}
    </>
  );
  if (!panel) {
    return (
      <Link
        className="cite-chip"
        to={sourcePath(source)}
        title={source.excerpt}
        aria-label={`Source ${source.n}: ${name}`}
      >
        {face}
      </Link>
    );
  }
  const show = () => setPreviewing(true);
  const hide = () => setPreviewing(false);
  return (
    <span className="cite-anchor" onMouseEnter={show} onMouseLeave={hide}>
      <button
        type="button"
        className="cite-chip"
        aria-label={`Source ${source.n}: ${name}`}
        aria-describedby={previewing ? previewId : undefined}
        aria-current={samePassage(panel.current, source) ? 'true' : undefined}
        onFocus={show}
        onBlur={hide}
        onKeyDown={(event) => {
          if (event.key === 'Escape' && previewing) {
            event.stopPropagation();
            hide();
          }
        }}
        onClick={() => {
          hide();
          panel.open(source);
        }}
      >
        {face}
      </button>
      {previewing ? <CitationPreview id={previewId} source={source} name={name} /> : null}
    </span>
  );
}

function Citation(props: ComponentProps<'cite'> & { 'data-sources'?: string }) {
  const sources = useContext(SourcesContext);
  const chips = (props['data-sources'] ?? '')
    .split(' ')
    .map((n) => sources.get(Number(n)))
    .filter((source): source is TutorSource => source !== undefined);
  if (chips.length === 0) return null;
  return (
    <cite className="citations">
      {chips.map((source) => (
        <CitationChip key={source.n} source={source} />
      ))}
    </cite>
  );
}

function SafeLink({ href, children }: ComponentProps<'a'>) {
  const url = safeUrl(href ?? '');
  if (!url) return <span>{children}</span>;
  // In the desktop app, main opens new windows' addresses in the browser (on its allow-list).
  return (
    <a href={url} target="_blank" rel="noreferrer noopener">
      {children}
    </a>
  );
}

/** No images: an answer must not make the app fetch anything. The description stays. */
function ImageText({ alt }: ComponentProps<'img'>) {
  return alt ? <span className="md-image-alt">Image: {alt}</span> : null;
}

/** The page has its own headings: an answer's headings sit below them. */
const heading =
  (Tag: 'h3' | 'h4' | 'h5') =>
  ({ children }: { children?: ReactNode }) => <Tag>{children}</Tag>;

const COMPONENTS = {
  a: SafeLink,
  img: ImageText,
  cite: Citation,
  h1: heading('h3'),
  h2: heading('h3'),
  h3: heading('h4'),
  h4: heading('h5'),
  h5: heading('h5'),
  h6: heading('h5'),
} as Components;

const REHYPE = [[rehypeKatex, { throwOnError: false, strict: 'ignore', trust: false, maxSize: 20 }]] as const;

const MarkdownBlock = memo(function MarkdownBlock({
  source,
  known,
}: {
  source: string;
  known: ReadonlySet<number>;
}) {
  const remarkPlugins = useMemo(
    () => [remarkGfm, remarkMath, [remarkCitations, { known }] as const],
    [known],
  );
  return (
    <Markdown
      remarkPlugins={remarkPlugins as never}
      rehypePlugins={REHYPE as never}
      components={COMPONENTS}
      skipHtml
      urlTransform={safeUrl}
    >
      {source}
    </Markdown>
  );
});

/**
 * An answer's markdown: GFM, KaTeX math, citations as chips; no raw HTML, no images, only web
 * and mail links.
 *
 * Streaming stays smooth for long answers: the text arrives here at most once per animation
 * frame (stream-store.ts), and the answer is cut into top-level blocks (markdown-blocks.ts),
 * each a memoised component keyed by where it starts. A finished block keeps its key and its
 * source, so it is not parsed, typeset or rendered again; only the block being written is. The
 * cut itself is one cheap pass over the lines, far below the cost of parsing.
 */
export function AnswerMarkdown({
  text,
  sources,
  streaming = false,
}: {
  text: string;
  sources: readonly TutorSource[];
  streaming?: boolean;
}) {
  const shown = streaming ? trimUnfinishedCitation(text) : text;
  const blocks = useMemo(() => splitBlocks(shown), [shown]);
  const byNumber = useMemo(() => new Map(sources.map((source) => [source.n, source])), [sources]);
  const known = useMemo(() => new Set(byNumber.keys()), [byNumber]);
  return (
    <SourcesContext.Provider value={byNumber}>
      <div className="md">
        {blocks.map((block) => (
          <MarkdownBlock key={block.start} source={block.source} known={known} />
        ))}
      </div>
    </SourcesContext.Provider>
  );
}
