import type { DesktopEngineBridge } from '../shared/engine-bridge.js';

declare global {
  interface Window {
    /** Exposed by the preload (src/preload/preload.ts); the only way this page reaches the engine. */
    readonly littleMonster: DesktopEngineBridge;
  }
}
