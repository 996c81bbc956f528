import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RecorderWatch } from './recorder-watch.js';

describe('watching recorders', () => {
  let gone: string[];
  let watch: RecorderWatch;
  beforeEach(() => {
    vi.useFakeTimers();
    gone = [];
    watch = new RecorderWatch(10_000, (id) => gone.push(id));
  });
  afterEach(() => {
    watch.close();
    vi.useRealTimers();
  });

  it('counts a recorder as gone once its connection closed and nothing came for the grace period', () => {
    watch.heard('lecture', 'tab-1');
    watch.connectionClosed('tab-1');
    vi.advanceTimersByTime(9_999);
    expect(gone).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(gone).toEqual(['lecture']);
  });

  it('counts a recorder as gone when its last chunk was stored after its connection closed', () => {
    watch.heard('lecture', 'tab-1');
    watch.connectionClosed('tab-1');
    vi.advanceTimersByTime(2_000);
    // The chunk in flight when the browser was killed finishes writing after the close.
    watch.heard('lecture', 'tab-1');
    vi.advanceTimersByTime(9_999);
    expect(gone).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(gone).toEqual(['lecture']);
  });

  it('keeps a recorder that reconnected and sent again within the grace period', () => {
    watch.heard('lecture', 'tab-1');
    watch.connectionClosed('tab-1');
    vi.advanceTimersByTime(5_000);
    watch.heard('lecture', 'tab-1-again');
    vi.advanceTimersByTime(60_000);
    expect(gone).toEqual([]);
  });

  it('keeps a paused recorder whose connection stays open, however long it is silent', () => {
    watch.heard('lecture', 'tab-1');
    watch.connectionClosed('another-tab');
    vi.advanceTimersByTime(3_600_000);
    expect(gone).toEqual([]);
  });

  it('forgets a recording that ended', () => {
    watch.heard('lecture', 'tab-1');
    watch.connectionClosed('tab-1');
    watch.forget('lecture');
    vi.advanceTimersByTime(60_000);
    expect(gone).toEqual([]);
  });
});
