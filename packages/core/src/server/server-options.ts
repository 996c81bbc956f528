import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { defaultUserDataDir } from './default-paths.js';

export const DEFAULT_PORT = 47_800;

export const USAGE = `Usage: npm run web -- [options]
       node packages/core/dist/server/main.js [options]

Serves Little Monster to a browser on this computer only (127.0.0.1), and prints the address
to open, with this start's token in it.

Options:
  --data-dir DIR        the data folder (default: LITTLE_MONSTER_DATA_DIR, or
                        ${join(defaultUserDataDir(), 'data')}, the desktop app's)
  --models-dir DIR      where models are kept (default: "models" beside the data folder)
  --port N              the port (default: PORT, or ${DEFAULT_PORT}; 0 picks a free one)
  --ui-dir DIR          the built UI (default: packages/ui/dist)
  --model-catalog FILE  another model catalog, e.g. an organisation's mirror
  --llm-threads N       threads for the chat model (default: all cores but one)
  -h, --help            show this and exit`;

export interface ServerOptions {
  dataDir: string;
  modelsDir: string;
  uiDir: string;
  port: number;
  /** The port was chosen by nobody: any free one will do when it is taken. */
  defaultPort: boolean;
  modelCatalogFile?: string;
  llmThreads?: number;
}

export type ParsedCommandLine = { help: true } | { error: string } | { options: ServerOptions };

/** The command line of `npm run web`: options, a request for help, or what is wrong with it. */
export function parseServerArgs(
  args: string[],
  env: NodeJS.ProcessEnv,
  defaults: { uiDir: string },
): ParsedCommandLine {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        'data-dir': { type: 'string' },
        'models-dir': { type: 'string' },
        'ui-dir': { type: 'string' },
        port: { type: 'string' },
        'model-catalog': { type: 'string' },
        'llm-threads': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    return { error: (error as Error).message };
  }
  if (values.help) return { help: true };
  const portText = values.port ?? env.PORT;
  const port = portText === undefined ? DEFAULT_PORT : Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    return { error: `The port must be a whole number from 0 to 65535, not "${portText}".` };
  const threads = values['llm-threads'];
  if (threads !== undefined && !(Number.isInteger(Number(threads)) && Number(threads) >= 1))
    return { error: `--llm-threads must be a whole number of 1 or more, not "${threads}".` };
  const dataDir = resolve(
    values['data-dir'] ?? env.LITTLE_MONSTER_DATA_DIR ?? join(defaultUserDataDir(env), 'data'),
  );
  return {
    options: {
      dataDir,
      modelsDir: resolve(values['models-dir'] ?? join(dirname(dataDir), 'models')),
      uiDir: resolve(values['ui-dir'] ?? defaults.uiDir),
      port,
      defaultPort: portText === undefined,
      ...(values['model-catalog'] ? { modelCatalogFile: resolve(values['model-catalog']) } : {}),
      ...(threads ? { llmThreads: Number(threads) } : {}),
    },
  };
}
