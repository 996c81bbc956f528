/**
 * The engine process: an Electron utilityProcess started by main (see main/engine-host.ts).
 * It never imports 'electron'; main talks to it through `process.parentPort`.
 */
import type { ParentPort } from 'electron';
import { createCore, createLogger, KeyringSecretStore } from '@little-monster/core';
import { serveEngine, type EnginePort } from './engine-service.js';

/** The name the OS keychain files Little Monster's secrets under. */
const SECRETS_SERVICE = 'Little Monster';

process.setSourceMapsEnabled(true);

const parentPort: ParentPort | undefined = process.parentPort;
if (!parentPort) {
  console.error('The engine must be started by Little Monster (as an Electron utility process).');
  process.exit(1);
}

const port: EnginePort = {
  postMessage: (message) => parentPort.postMessage(message),
  onMessage: (listener) => {
    parentPort.on('message', (event) => listener(event.data));
  },
};

serveEngine(port, {
  createCore: (config) => createCore(config),
  createLogger,
  createSecretStore: () => new KeyringSecretStore(SECRETS_SERVICE),
  exit: (code) => process.exit(code),
});
