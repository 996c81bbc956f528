/** "1.5 KB", "200 MB"; rounding `up` keeps a size just over a limit from printing as the limit. */
export function formatBytes(bytes: number, rounding: 'nearest' | 'up' = 'nearest'): string {
  if (bytes < 1024) return `${bytes} bytes`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  const step = value >= 10 ? 1 : 10; // whole units from 10 up, one decimal below
  const rounded = (rounding === 'up' ? Math.ceil(value * step) : Math.round(value * step)) / step;
  return `${rounded} ${units[unit]}`;
}
