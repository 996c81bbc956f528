import { act, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TOAST_DISMISS_MS, Toasts } from './Toasts';
import { createUiStore, UiStoreContext } from './ui-store';

function renderToasts() {
  const store = createUiStore({ state: 'connected' });
  render(
    <UiStoreContext.Provider value={store}>
      <Toasts />
    </UiStoreContext.Provider>,
  );
  const error = () =>
    act(() => void store.getState().pushToast({ tone: 'error', title: 'Not saved', message: 'Disk full.' }));
  return { error };
}

describe('toasts', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('closes an error on its own, so it does not cover the buttons under it for good', () => {
    const { error } = renderToasts();
    error();
    expect(screen.getByRole('alert')).toHaveTextContent('Not saved');
    act(() => vi.advanceTimersByTime(TOAST_DISMISS_MS.error));
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('stays while the pointer is on it, and closes after it leaves', () => {
    const { error } = renderToasts();
    error();
    fireEvent.mouseEnter(screen.getByRole('alert'));
    act(() => vi.advanceTimersByTime(TOAST_DISMISS_MS.error * 2));
    expect(screen.getByRole('alert')).toBeInTheDocument();
    fireEvent.mouseLeave(screen.getByRole('alert'));
    act(() => vi.advanceTimersByTime(TOAST_DISMISS_MS.error));
    expect(screen.queryByRole('alert')).toBeNull();
  });
});
