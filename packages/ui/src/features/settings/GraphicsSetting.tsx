import type { GraphicsInfo, Settings } from '@little-monster/core/contract';
import { formatBytes } from '../../app/format';
import { useGraphics, useUpdateSettings } from './queries';

/** Where local AI runs, in a sentence: the graphics card and its memory, or the processor. */
function runsOn(graphics: GraphicsInfo): string {
  if (!graphics.backend) return 'Local AI runs on the processor.';
  const card = graphics.devices.length > 0 ? `${graphics.devices.join(', ')} via ` : '';
  const memory = graphics.vram
    ? ` (${formatBytes(graphics.vram.freeBytes)} of ${formatBytes(graphics.vram.totalBytes)} free)`
    : '';
  return `Local AI runs on the graphics card: ${card}${graphics.backend}${memory}.`;
}

/** "Use the graphics card" (auto/off), with where local AI runs now and why not on the card. */
export function GraphicsSetting({ settings }: { settings: Settings }) {
  const update = useUpdateSettings();
  const graphics = useGraphics(settings.useGpu);
  return (
    <div className="field">
      <label htmlFor="use-gpu">Use the graphics card</label>
      <select
        id="use-gpu"
        aria-describedby="use-gpu-status"
        value={settings.useGpu}
        onChange={(e) => update.mutate({ useGpu: e.target.value as Settings['useGpu'] })}
      >
        <option value="auto">Automatically, when there is one that works</option>
        <option value="off">Never (the processor only)</option>
      </select>
      <div id="use-gpu-status" className="field-hint" role="status">
        {graphics.isPending ? (
          <p>Looking for a graphics card…</p>
        ) : graphics.isError ? (
          <p className="text-error">Could not tell where local AI runs: {graphics.error.message}</p>
        ) : (
          <>
            <p>{runsOn(graphics.data)}</p>
            {graphics.data.note ? <p>{graphics.data.note}</p> : null}
          </>
        )}
      </div>
    </div>
  );
}
