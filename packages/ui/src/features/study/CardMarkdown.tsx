import { memo } from 'react';
import Markdown from 'react-markdown';
import rehypeKatex from 'rehype-katex';
import remarkGfm from 'remark-gfm';
import remarkMath from 'remark-math';

const REMARK = [remarkGfm, remarkMath];
const REHYPE = [rehypeKatex];

/** One side of a card: Markdown with KaTeX math; raw HTML is never rendered. */
export const CardMarkdown = memo(function CardMarkdown({ text }: { text: string }) {
  return (
    <div className="study-markdown">
      <Markdown remarkPlugins={REMARK} rehypePlugins={REHYPE}>
        {text}
      </Markdown>
    </div>
  );
});
