export { startEngineHost, type EngineHost, type EngineHostOptions } from './engine-host.js';
export { defaultUserDataDir } from './default-paths.js';
