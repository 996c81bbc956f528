/**
 * Native packages: never bundled (a .node file or a loadable library cannot live inside a JS
 * bundle), shipped in node_modules and unpacked from app.asar (see electron-builder.yml).
 * Add here whatever native package the engine starts to use, and to this package's
 * "dependencies" too (build.mjs checks), since nothing else of the engine is in node_modules.
 */
export const NATIVE_MODULES = [
  'better-sqlite3',
  'sqlite-vec',
  '@napi-rs/keyring',
  'node-llama-cpp',
  'onnxruntime-node',
  '@napi-rs/whisper',
  // Not native themselves, but they load workers, fonts and language data from their own
  // package folders at run time, so they must stay real packages beside the bundle.
  '@napi-rs/canvas',
  'pdfjs-dist',
  'tesseract.js',
  '@tesseract.js-data/eng',
];

/**
 * The ones compiled against V8's ABI (not N-API), so a build for Node cannot load in
 * Electron. Packaging rebuilds them (electron-builder's npmRebuild); development uses a
 * separate copy built for Electron (prepare-electron-native.mjs), so the Node build the
 * tests use stays as it is.
 */
export const ELECTRON_ABI_MODULES = ['better-sqlite3'];

export const externalsFor = (names) => names.flatMap((name) => [name, `${name}/*`]);
