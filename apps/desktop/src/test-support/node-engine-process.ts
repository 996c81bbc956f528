import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { EngineProcess } from '../main/engine-host.js';

const bootstrap = fileURLToPath(new URL('./node-utility-process.cjs', import.meta.url));

/**
 * The engine bundle in a Node child process, for tests that cannot start Electron.
 * `electronVersion`: `process.versions.electron` says this, as in Electron's utility process.
 */
export function forkNodeEngine(
  engineBundle: string,
  options: { electronVersion?: string } = {},
): EngineProcess & { child: ChildProcess } {
  const child = fork(bootstrap, [], {
    env: {
      ...process.env,
      LITTLE_MONSTER_ENGINE_BUNDLE: engineBundle,
      ...(options.electronVersion ? { LITTLE_MONSTER_TEST_ELECTRON_VERSION: options.electronVersion } : {}),
    },
    serialization: 'advanced',
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return {
    child,
    postMessage: (message) => {
      if (child.connected) child.send(message);
    },
    kill: () => {
      child.kill();
    },
    onMessage: (listener) => {
      child.on('message', listener);
    },
    onExit: (listener) => {
      child.on('exit', (code) => listener(code));
    },
  };
}
