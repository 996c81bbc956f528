import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** Where the OCR engine finds its model. Nothing is ever fetched: it is a local path. */
export interface TesseractResources {
  /** Folder holding `eng.traineddata.gz`. */
  langPath: string;
}

/**
 * The English "best_int" model from `@tesseract.js-data/eng` (accurate and small: 2.9 MB),
 * resolved through Node's module resolution so it is found from node_modules whether the engine
 * runs from source, from dist, or from a bundle that keeps node_modules (an Electron app must
 * unpack it and tesseract.js-core, the WebAssembly build beside tesseract.js, from its asar
 * archive: worker threads and WebAssembly files are read from the real file system).
 */
export function defaultTesseractResources(): TesseractResources {
  const require = createRequire(import.meta.url);
  return {
    langPath: join(dirname(require.resolve('@tesseract.js-data/eng/package.json')), '4.0.0_best_int'),
  };
}
