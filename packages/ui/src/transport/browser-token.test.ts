import { describe, expect, it } from 'vitest';
import { engineSocketUrl, takeAccessToken } from './browser-token';

describe('browser access token', () => {
  it('moves the token from the address bar into this tab’s storage, keeping the route', () => {
    window.history.replaceState(null, '', '/?token=s3cret&x=1#/classes');
    expect(takeAccessToken()).toBe('s3cret');
    expect(window.location.search).toBe('?x=1');
    expect(window.location.hash).toBe('#/classes');
    expect(sessionStorage.getItem('littleMonster.token')).toBe('s3cret');
  });

  it('still has the token after a reload (no token in the address any more)', () => {
    window.history.replaceState(null, '', '/?token=again');
    takeAccessToken();
    window.history.replaceState(null, '', '/');
    expect(takeAccessToken()).toBe('again');
  });

  it('builds the socket address of the host that served the page', () => {
    expect(engineSocketUrl({ protocol: 'http:', host: '127.0.0.1:5123' }, 'a b')).toBe(
      'ws://127.0.0.1:5123/rpc?token=a%20b',
    );
    expect(engineSocketUrl({ protocol: 'http:', host: '127.0.0.1:5123' }, null)).toBe(
      'ws://127.0.0.1:5123/rpc',
    );
  });
});
