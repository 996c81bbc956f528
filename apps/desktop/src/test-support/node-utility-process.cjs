// Runs the engine bundle in a plain Node child process, as if it were an Electron utility
// process: `process.parentPort` is backed by the child_process IPC channel (advanced
// serialization, i.e. structured clone, like the real port). Tests only.
const { EventEmitter } = require('node:events');

const parentPort = new EventEmitter();
parentPort.postMessage = (message) => process.send(message);
process.on('message', (data) => parentPort.emit('message', { data, ports: [] }));
process.parentPort = parentPort;
// As Electron would say it runs this process (tests of what the bundle loads under Electron).
if (process.env.LITTLE_MONSTER_TEST_ELECTRON_VERSION) {
  Object.defineProperty(process.versions, 'electron', {
    value: process.env.LITTLE_MONSTER_TEST_ELECTRON_VERSION,
    enumerable: true,
  });
}

require(process.env.LITTLE_MONSTER_ENGINE_BUNDLE);
