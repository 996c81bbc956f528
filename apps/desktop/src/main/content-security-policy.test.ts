import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY, META_CONTENT_SECURITY_POLICY } from './content-security-policy.js';

const html = readFileSync(new URL('../renderer/index.html', import.meta.url), 'utf8');

describe('the renderer CSP', () => {
  it('in index.html is the header policy minus frame-ancestors', () => {
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1];
    expect(meta).toBe(META_CONTENT_SECURITY_POLICY);
    expect(CONTENT_SECURITY_POLICY).toBe(`${META_CONTENT_SECURITY_POLICY}; frame-ancestors 'none'`);
  });

  it('allows no eval, no inline script and no remote origin', () => {
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self';");
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-eval|https?:|\*/);
    expect(CONTENT_SECURITY_POLICY).toContain("object-src 'none'");
  });

  it('is the policy of a page that loads only its own files', () => {
    expect(html).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/);
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
  });

  it('lets the window load stored files from lm-file: as images, audio and data, and nothing more', () => {
    const directives = new Map(
      CONTENT_SECURITY_POLICY.split('; ').map((directive) => {
        const [name = '', ...sources] = directive.split(' ');
        return [name, sources];
      }),
    );
    expect(directives.get('img-src')).toEqual(["'self'", 'data:', 'blob:', 'lm-file:']);
    expect(directives.get('connect-src')).toEqual(["'self'", 'lm-file:']);
    // Lecture recordings play in <audio> from lm-file://recording/<id>.
    expect(directives.get('media-src')).toEqual(["'self'", 'blob:', 'lm-file:']);
    const usingTheScheme = [...directives].filter(([, sources]) => sources.includes('lm-file:'));
    expect(usingTheScheme.map(([name]) => name)).toEqual(['img-src', 'media-src', 'connect-src']);
    // pdf.js's worker is one of the app's files: no worker-src, so it falls back to script-src 'self'.
    expect(directives.has('worker-src')).toBe(false);
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.get('default-src')).toEqual(["'self'"]);
  });
});
