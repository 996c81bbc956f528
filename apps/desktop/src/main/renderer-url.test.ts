import { describe, expect, it } from 'vitest';
import { isRendererUrl } from './renderer-url.js';

const renderer = 'file:///opt/Little%20Monster/resources/app.asar/dist/renderer/index.html';

describe('isRendererUrl', () => {
  it('accepts our renderer file, whatever its route fragment or query', () => {
    expect(isRendererUrl(renderer, renderer, 'linux')).toBe(true);
    expect(isRendererUrl(`${renderer}#/classes/42`, renderer, 'linux')).toBe(true);
    expect(isRendererUrl(`${renderer}?tab=review`, renderer, 'linux')).toBe(true);
  });

  it('treats an unencoded space the same as %20', () => {
    expect(
      isRendererUrl(
        'file:///opt/Little Monster/resources/app.asar/dist/renderer/index.html',
        renderer,
        'linux',
      ),
    ).toBe(true);
  });

  it('refuses another local file, even beside ours', () => {
    expect(
      isRendererUrl(
        'file:///opt/Little%20Monster/resources/app.asar/dist/renderer/other.html',
        renderer,
        'linux',
      ),
    ).toBe(false);
    expect(isRendererUrl('file:///home/student/Downloads/index.html', renderer, 'linux')).toBe(false);
    expect(
      isRendererUrl(
        'file:///opt/little%20monster/resources/app.asar/dist/renderer/index.html',
        renderer,
        'linux',
      ),
    ).toBe(false);
  });

  it('refuses web pages, other schemes, and nonsense', () => {
    expect(isRendererUrl('https://example.com/dist/renderer/index.html', renderer, 'linux')).toBe(false);
    expect(isRendererUrl('about:blank', renderer, 'linux')).toBe(false);
    expect(isRendererUrl('', renderer, 'linux')).toBe(false);
    expect(
      isRendererUrl(
        'file://evil-host/opt/Little%20Monster/resources/app.asar/dist/renderer/index.html',
        renderer,
        'linux',
      ),
    ).toBe(false);
  });

  it('ignores case on Windows, where paths are case-insensitive', () => {
    const windows = 'file:///C:/Program%20Files/Little%20Monster/resources/app.asar/dist/renderer/index.html';
    expect(
      isRendererUrl(
        'file:///c:/program%20files/little%20monster/resources/app.asar/dist/renderer/index.html',
        windows,
        'win32',
      ),
    ).toBe(true);
  });
});
