import { useEffect, useRef, useState } from 'react';
import type { MaterialPage } from '@little-monster/core/contract';
import { markedWords, type PageMark, type PageWord } from './highlight';
import { HighlightOverlay, percent } from './HighlightOverlay';
import type { PageSize } from './pdf-support';
import { pageLayout, usePageRoom } from './use-page-room';
import type { Zoom } from './zoom';

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
  marks,
  zoom,
  onScale,
}: {
  src: string;
  title: string;
  page: MaterialPage;
  marks: readonly PageMark[];
  zoom: Zoom;
  onScale(scale: number): void;
}) {
  const [natural, setNatural] = useState<PageSize | null>(null);
  const [failed, setFailed] = useState(false);
  const column = useRef<HTMLDivElement>(null);
  const room = usePageRoom(column);
  const size = page.width && page.height ? { width: page.width, height: page.height } : natural;
  const layout = pageLayout(zoom, size, room);
  const aspect = size ? size.height / size.width : 1;
  useEffect(() => {
    if (layout) onScale(layout.scale);
  }, [layout?.scale, onScale]); // eslint-disable-line react-hooks/exhaustive-deps

  if (failed) return <p className="text-error">The image could not be loaded. Its text is shown below.</p>;
  return (
    <div ref={column} className="page-column">
      <div className="page-stage" style={layout ? { width: `${layout.width}px` } : undefined}>
        <img
          className="page-image"
          src={src}
          alt={`${title}, page ${page.pageNumber}`}
          onLoad={(e) =>
            setNatural({
              width: e.currentTarget.naturalWidth || 1,
              height: e.currentTarget.naturalHeight || 1,
            })
          }
          onError={() => setFailed(true)}
        />
        <HighlightOverlay words={markedWords(page.words, marks)} />
        <OcrTextLayer words={page.words} aspect={aspect} />
      </div>
    </div>
  );
}
