/**
 * `npm start` decides between the desktop app and the browser mode: the desktop app needs the
 * Electron binary, a display, and the V8-ABI native modules built for Electron. Each step is
 * tried in that order, and the first that cannot be done is the reason to fall back.
 */

/** Why no window can open here, or undefined. Only Linux runs without a display. */
export function displayProblem(env = process.env, platform = process.platform) {
  if (platform !== 'linux') return undefined;
  return env.DISPLAY || env.WAYLAND_DISPLAY
    ? undefined
    : 'there is no graphical display (DISPLAY is not set)';
}

/**
 * @param {{
 *   electronBinary: () => { binary: string } | { reason: string },
 *   displayProblem: () => string | undefined,
 *   prepareElectronNative: () => { ok: true } | { ok: false, reason: string },
 * }} steps
 * @returns {{ mode: 'desktop', electron: string } | { mode: 'browser', reason: string }}
 */
export function planLaunch(steps) {
  const electron = steps.electronBinary();
  if ('reason' in electron) return { mode: 'browser', reason: electron.reason };
  const display = steps.displayProblem();
  if (display) return { mode: 'browser', reason: display };
  // Last: it may download or compile, which is wasted where no window can open anyway.
  const native = steps.prepareElectronNative();
  if (!native.ok) return { mode: 'browser', reason: native.reason };
  return { mode: 'desktop', electron: electron.binary };
}
