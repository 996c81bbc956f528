import { dialog, type BrowserWindow } from 'electron';
import type { RpcError } from '@little-monster/core/contract';

/** The engine refused to start; its message says what happened and what to do. Nothing was changed. */
export async function showStartupFailure(error: RpcError, logsDir: string): Promise<void> {
  await dialog.showMessageBox({
    type: 'error',
    title: 'Little Monster cannot start',
    message: 'Little Monster cannot open your study data.',
    detail: `${error.message}\n\nYour data was not changed. Details are in the log folder:\n${logsDir}`,
    buttons: ['Quit'],
  });
}

/** The engine kept crashing. Returns true when the student wants another attempt. */
export async function askToRetryAfterCrashes(logsDir: string): Promise<boolean> {
  const { response } = await dialog.showMessageBox({
    type: 'error',
    title: 'Little Monster',
    message: 'Little Monster’s study engine keeps stopping.',
    detail:
      'It was restarted several times and stopped again each time. Your saved work is safe.\n\n' +
      `Try again, or quit and open Little Monster later. Details are in the log folder:\n${logsDir}`,
    buttons: ['Try Again', 'Quit'],
    defaultId: 0,
    cancelId: 1,
  });
  return response === 0;
}

/**
 * The page asked to stay open (a lecture is still being recorded). Returns true when the student
 * chooses to leave anyway.
 */
export function confirmLeavingRecording(window: BrowserWindow): boolean {
  const response = dialog.showMessageBoxSync(window, {
    type: 'warning',
    title: 'Little Monster',
    message: 'A lecture is still being recorded.',
    detail: 'Stop the recording first to keep everything. If you close now, the audio saved so far is kept.',
    buttons: ['Keep Recording', 'Close Anyway'],
    defaultId: 0,
    cancelId: 0,
  });
  return response === 1;
}
