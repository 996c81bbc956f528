/**
 * Runs a program as the one thing this process does: stop signals sent to this process
 * (a plain `kill`, Ctrl+C, a closed terminal) are passed on to it, and this process exits when,
 * and as, it exits. So killing `npm start` never leaves the engine running, holding the data
 * folder's lock.
 */
import { spawn } from 'node:child_process';
import { constants } from 'node:os';

export const FORWARDED_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/**
 * @param {string} command
 * @param {string[]} args
 * @param {import('node:child_process').SpawnOptions} [options]
 * @returns {import('node:child_process').ChildProcess}
 */
export function runChild(command, args, options = {}) {
  const child = spawn(command, args, { stdio: 'inherit', ...options });
  const forward = (signal) => child.kill(signal);
  for (const signal of FORWARDED_SIGNALS) process.on(signal, forward);
  child.on('error', (error) => {
    console.error(`Could not start ${command}: ${error.message}`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => {
    for (const name of FORWARDED_SIGNALS) process.off(name, forward);
    process.exit(code ?? 128 + (constants.signals[signal] ?? 0));
  });
  return child;
}
