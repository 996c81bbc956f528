import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** Where tesseract.js finds its files. Nothing is ever fetched: both are local paths. */
export interface TesseractResources {
  /** Folder holding `eng.traineddata.gz`. */
  langPath: string;
  /** tesseract.js's Node worker script (it loads the tesseract.js-core WebAssembly beside it). */
  workerPath: string;
}

/**
 * The English "best_int" model from `@tesseract.js-data/eng` (accurate and small: 2.9 MB) and the
 * worker script, resolved through Node's module resolution so they are found from node_modules
 * whether the engine runs from source, from dist, or from a bundle that keeps node_modules
 * (an Electron app must unpack both packages from its asar archive: worker threads and
 * WebAssembly files are read from the real file system).
 */
export function defaultTesseractResources(): TesseractResources {
  const require = createRequire(import.meta.url);
  return {
    langPath: join(dirname(require.resolve('@tesseract.js-data/eng/package.json')), '4.0.0_best_int'),
    workerPath: require.resolve('tesseract.js/src/worker-script/node/index.js'),
  };
}
