import { useState } from 'react';
import type { MaterialPage } from '@little-monster/core/contract';
import { wordsInSpans, type PageWord } from './highlight';
import { HighlightOverlay, percent } from './HighlightOverlay';
import type { PageSpan } from './viewer-link';

/**
 * The OCR'd words, invisible but selectable, over the photo: the student can select and copy
 * text from a picture of their notes. Sizes follow the stage's width (container query units).
 */
function OcrTextLayer({ words, aspect }: { words: readonly PageWord[]; aspect: number }) {
  return (
    <div className="ocr-text-layer">
      {words.map((word) => (
        <span
          key={word.start}
          style={{
            left: percent(word.box[0]),
            top: percent(word.box[1]),
            width: percent(word.box[2]),
            height: percent(word.box[3]),
            fontSize: `${(word.box[3] * aspect * 100 * 0.9).toFixed(3)}cqw`,
          }}
        >
          {word.text}{' '}
        </span>
      ))}
    </div>
  );
}

export function ImagePageView({
  src,
  title,
  page,
  spans,
}: {
  src: string;
  title: string;
  page: MaterialPage;
  spans: readonly PageSpan[];
}) {
  const [loadedAspect, setLoadedAspect] = useState<number | null>(null);
  const [failed, setFailed] = useState(false);
  const aspect = page.width && page.height ? page.height / page.width : (loadedAspect ?? 1);
  if (failed) return <p className="text-error">The image could not be loaded. Its text is shown below.</p>;
  return (
    <div className="page-stage">
      <img
        className="page-image"
        src={src}
        alt={`${title}, page ${page.pageNumber}`}
        onLoad={(e) => setLoadedAspect(e.currentTarget.naturalHeight / (e.currentTarget.naturalWidth || 1))}
        onError={() => setFailed(true)}
      />
      <HighlightOverlay words={wordsInSpans(page.words, spans, page.pageNumber)} />
      <OcrTextLayer words={page.words} aspect={aspect} />
    </div>
  );
}
