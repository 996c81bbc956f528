import { useId } from 'react';
import { FIT_PAGE, FIT_WIDTH, MAX_ZOOM, MIN_ZOOM, stepZoom, ZOOM_STEPS, zoomLabel, type Zoom } from './zoom';

const valueOf = (zoom: Zoom) => ('fit' in zoom ? `fit-${zoom.fit}` : String(zoom.scale));

function zoomFrom(value: string): Zoom {
  if (value === 'fit-width') return FIT_WIDTH;
  if (value === 'fit-page') return FIT_PAGE;
  return { scale: Number(value) };
}

/** − , the zoom (fit width, fit page, or a percentage), + ; the label says the scale shown now. */
export function ZoomControls({
  zoom,
  scale,
  onZoom,
}: {
  zoom: Zoom;
  /** The scale the page shows at now (null until it is drawn). */
  scale: number | null;
  onZoom(zoom: Zoom): void;
}) {
  const selectId = useId();
  const shown = scale ?? 1;
  return (
    <div className="zoom-controls" role="group" aria-label="Zoom">
      <button
        type="button"
        className="button button-small"
        aria-label="Zoom out"
        title="Zoom out (−)"
        disabled={shown <= MIN_ZOOM + 0.001}
        onClick={() => onZoom(stepZoom(shown, -1))}
      >
        −
      </button>
      <label htmlFor={selectId} className="visually-hidden">
        Zoom
      </label>
      <select id={selectId} value={valueOf(zoom)} onChange={(e) => onZoom(zoomFrom(e.target.value))}>
        <option value="fit-width">{`Fit width${'fit' in zoom && zoom.fit === 'width' && scale ? ` (${zoomLabel(scale)})` : ''}`}</option>
        <option value="fit-page">{`Fit page${'fit' in zoom && zoom.fit === 'page' && scale ? ` (${zoomLabel(scale)})` : ''}`}</option>
        {ZOOM_STEPS.map((step) => (
          <option key={step} value={String(step)}>
            {zoomLabel(step)}
          </option>
        ))}
      </select>
      <button
        type="button"
        className="button button-small"
        aria-label="Zoom in"
        title="Zoom in (+)"
        disabled={shown >= MAX_ZOOM - 0.001}
        onClick={() => onZoom(stepZoom(shown, 1))}
      >
        +
      </button>
    </div>
  );
}
