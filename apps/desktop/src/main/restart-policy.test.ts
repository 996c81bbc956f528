import { describe, expect, it } from 'vitest';
import { RestartPolicy } from './restart-policy.js';

const options = { maxCrashes: 4, windowMs: 60_000, baseDelayMs: 250, maxDelayMs: 1_000 };

describe('RestartPolicy', () => {
  it('restarts after a crash, waiting longer after each quick one', () => {
    const policy = new RestartPolicy(options);
    expect(policy.onCrash(0)).toEqual({ action: 'restart', delayMs: 250 });
    expect(policy.onCrash(1_000)).toEqual({ action: 'restart', delayMs: 500 });
    expect(policy.onCrash(2_000)).toEqual({ action: 'restart', delayMs: 1_000 });
  });

  it('gives up when the engine keeps crashing within the window', () => {
    const policy = new RestartPolicy(options);
    for (const at of [0, 1_000, 2_000]) policy.onCrash(at);
    expect(policy.onCrash(3_000)).toEqual({ action: 'give-up' });
  });

  it('forgets crashes older than the window: an occasional crash is always restarted', () => {
    const policy = new RestartPolicy(options);
    for (let hour = 0; hour < 10; hour++) {
      expect(policy.onCrash(hour * 3_600_000)).toEqual({ action: 'restart', delayMs: 250 });
    }
  });

  it('starts afresh after a reset (the student chose to try again)', () => {
    const policy = new RestartPolicy(options);
    for (const at of [0, 1, 2, 3]) policy.onCrash(at);
    policy.reset();
    expect(policy.onCrash(4)).toEqual({ action: 'restart', delayMs: 250 });
  });
});
