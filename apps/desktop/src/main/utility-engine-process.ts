import { utilityProcess } from 'electron';
import type { EngineProcess } from './engine-host.js';

/**
 * The engine in an Electron utilityProcess: a Node process launched by Chromium's service
 * framework (no ELECTRON_RUN_AS_NODE needed, so that fuse stays off), with its own crash
 * reporting and a structured-clone message channel to main.
 */
export function forkUtilityEngine(enginePath: string): EngineProcess {
  const child = utilityProcess.fork(enginePath, [], {
    serviceName: 'Little Monster engine',
    // Its own logs go to the engine's log file; this is for what only stderr sees (a native crash).
    stdio: 'inherit',
  });
  return {
    postMessage: (message) => child.postMessage(message),
    kill: () => {
      child.kill();
    },
    onMessage: (listener) => {
      child.on('message', listener);
    },
    onExit: (listener) => {
      child.on('exit', listener);
    },
  };
}
