import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { ErrorCode } from '@little-monster/core/contract';
import { makeClass } from '../test-support/fixtures';
import { rpcError } from '../test-support/memory-transport';
import { renderApp } from '../test-support/render-app';
import { createTestEngine } from '../test-support/test-engine';
import { CLASS_ERROR_TEXTS } from '../features/classes/class-error-texts';
import { describeFieldPath } from './error-messages';

/** What the student reads for each code: the title and what to do next. */
const EXPECTED: Record<Exclude<ErrorCode, 'INVALID_INPUT'>, [RegExp, RegExp]> = {
  NOT_FOUND: [/no longer exists/, /deleted in another window/],
  CONFLICT: [/changed somewhere else/, /make your change again/],
  CANCELLED: [/Cancelled/, /Start it again/],
  MODEL_NOT_INSTALLED: [/AI model is missing/, /Install the model/],
  ENGINE_UNAVAILABLE: [/engine is not reachable/, /Wait a moment/],
  UNAUTHORIZED: [/Access was refused/, /npm run web/],
  STORAGE_UNAVAILABLE: [/could not be saved or read/, /free space/],
  INTERNAL: [/went wrong in the engine/, /log file/],
};

async function archiveFailingWith(error: ReturnType<typeof rpcError>) {
  const engine = createTestEngine({ classes: [makeClass({ name: 'Physics' })] });
  engine.handlers['classes.update'] = () => {
    throw error;
  };
  const { user } = renderApp(engine, '/classes');
  const item = await screen.findByRole('listitem', { name: 'Physics' });
  await user.click(within(item).getByRole('button', { name: 'Archive' }));
  return screen.findByRole('alert');
}

describe('error toasts', () => {
  it.each(Object.entries(EXPECTED))('%s says what happened and what to do', async (code, [title, action]) => {
    const toast = await archiveFailingWith(rpcError(code as ErrorCode, `engine says ${code}`));
    expect(toast).toHaveTextContent(title);
    expect(toast).toHaveTextContent(action);
    expect(toast).toHaveTextContent(`engine says ${code}`);
  });

  it('INVALID_INPUT lists the fields by name', async () => {
    const toast = await archiveFailingWith(
      rpcError('INVALID_INPUT', 'Invalid input', [
        { path: 'patch.archived', message: 'Expected a boolean' },
        { path: 'patch.schedule.1.end', message: 'A meeting must end after it starts' },
      ]),
    );
    expect(toast).toHaveTextContent('Some details need fixing');
    expect(toast).toHaveTextContent('archived: Expected a boolean');
    expect(toast).toHaveTextContent('Weekly schedule, meeting 2, end: A meeting must end after it starts');
  });

  it('Dismiss removes the toast', async () => {
    const toast = await archiveFailingWith(rpcError('CONFLICT', 'Changed elsewhere'));
    within(toast.closest('li')!).getByRole('button', { name: 'Dismiss' }).click();
    await waitFor(() => expect(screen.queryByRole('alert')).not.toBeInTheDocument());
  });
});

describe('field paths', () => {
  it('reads like the form labels', () => {
    expect(describeFieldPath('name', CLASS_ERROR_TEXTS)).toBe('Name');
    expect(describeFieldPath('patch.exams.0.date', CLASS_ERROR_TEXTS)).toBe('Exams, exam 1, date');
    expect(describeFieldPath('(input)')).toBe('The request');
  });
});
