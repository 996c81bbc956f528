import { describe, expect, it } from 'vitest';
import { isPermissionGranted } from './permission-policy.js';

const renderer = 'file:///app/dist/renderer/index.html';

describe('isPermissionGranted', () => {
  it('lets our own page use the microphone', () => {
    expect(
      isPermissionGranted(
        { permission: 'media', requestingUrl: `${renderer}#/record`, mediaTypes: ['audio'] },
        renderer,
      ),
    ).toBe(true);
  });

  it('answers permission checks about audio devices for our page', () => {
    expect(
      isPermissionGranted(
        { permission: 'media', requestingUrl: renderer, mediaTypes: ['unknown'] },
        renderer,
      ),
    ).toBe(true);
  });

  it('never grants the camera, even with the microphone', () => {
    expect(
      isPermissionGranted({ permission: 'media', requestingUrl: renderer, mediaTypes: ['video'] }, renderer),
    ).toBe(false);
    expect(
      isPermissionGranted(
        { permission: 'media', requestingUrl: renderer, mediaTypes: ['audio', 'video'] },
        renderer,
      ),
    ).toBe(false);
    expect(
      isPermissionGranted({ permission: 'media', requestingUrl: renderer, mediaTypes: [] }, renderer),
    ).toBe(false);
  });

  it('denies the microphone to any other page', () => {
    expect(
      isPermissionGranted(
        { permission: 'media', requestingUrl: 'https://example.com/', mediaTypes: ['audio'] },
        renderer,
      ),
    ).toBe(false);
    expect(
      isPermissionGranted(
        { permission: 'media', requestingUrl: 'file:///tmp/x.html', mediaTypes: ['audio'] },
        renderer,
      ),
    ).toBe(false);
    expect(
      isPermissionGranted({ permission: 'media', requestingUrl: undefined, mediaTypes: ['audio'] }, renderer),
    ).toBe(false);
  });

  it('denies everything else, to our page too', () => {
    for (const permission of [
      'geolocation',
      'notifications',
      'openExternal',
      'clipboard-read',
      'display-capture',
      'midiSysex',
    ]) {
      expect(
        isPermissionGranted({ permission, requestingUrl: renderer, mediaTypes: undefined }, renderer),
      ).toBe(false);
    }
  });
});
