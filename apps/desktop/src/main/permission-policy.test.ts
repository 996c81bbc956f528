import { describe, expect, it } from 'vitest';
import { isPermissionGranted, permissionCheckQuery } from './permission-policy.js';

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

  it('never grants the camera or screen capture, even with the microphone', () => {
    for (const mediaTypes of [['video'], ['audio', 'video'], ['video', 'audio'], []]) {
      expect(
        isPermissionGranted({ permission: 'media', requestingUrl: renderer, mediaTypes }, renderer),
        mediaTypes.join('+'),
      ).toBe(false);
    }
    // Electron names no device for getDisplayMedia or a desktop capture source: mediaTypes is empty.
    expect(
      isPermissionGranted({ permission: 'media', requestingUrl: renderer, mediaTypes: undefined }, renderer),
    ).toBe(false);
  });

  it('denies the microphone to any other page', () => {
    for (const requestingUrl of [
      'https://example.com/',
      'file:///tmp/x.html',
      'file:///app/dist/renderer/other.html',
      'lm-file://material/3f2b8c1d-6a4e-4b7f-9d2c-1e5a7b9c0d4f',
      undefined,
    ]) {
      expect(
        isPermissionGranted({ permission: 'media', requestingUrl, mediaTypes: ['audio'] }, renderer),
        String(requestingUrl),
      ).toBe(false);
    }
  });

  it('denies everything else, to our page too', () => {
    for (const permission of [
      'geolocation',
      'notifications',
      'openExternal',
      'clipboard-read',
      'display-capture',
      'midiSysex',
      'speaker-selection',
    ]) {
      expect(
        isPermissionGranted({ permission, requestingUrl: renderer, mediaTypes: ['audio'] }, renderer),
      ).toBe(false);
    }
  });
});

describe('a permission check', () => {
  const granted = (details: { requestingUrl?: string; mediaType?: string }, mainFrameUrl?: string) =>
    isPermissionGranted(permissionCheckQuery('media', details, mainFrameUrl), renderer);

  it('says yes to our page about the microphone (device labels, the Permissions API)', () => {
    expect(granted({ requestingUrl: renderer, mediaType: 'audio' })).toBe(true);
    // Some checks name no frame: the window's main frame is the one asking.
    expect(granted({ mediaType: 'audio' }, `${renderer}#/lectures`)).toBe(true);
  });

  it('says no about the camera or an unknown kind of capture', () => {
    expect(granted({ requestingUrl: renderer, mediaType: 'video' })).toBe(false);
    expect(granted({ requestingUrl: renderer, mediaType: 'unknown' })).toBe(false);
    expect(granted({ requestingUrl: renderer })).toBe(false);
  });

  it('says no to another page, or when no document is named', () => {
    expect(granted({ requestingUrl: 'https://example.com/', mediaType: 'audio' }, renderer)).toBe(false);
    expect(granted({ mediaType: 'audio' }, 'file:///tmp/x.html')).toBe(false);
    expect(granted({ mediaType: 'audio' }, undefined)).toBe(false);
  });

  it('says no to other permissions asked of our page', () => {
    expect(
      isPermissionGranted(
        permissionCheckQuery('notifications', { requestingUrl: renderer }, renderer),
        renderer,
      ),
    ).toBe(false);
  });
});
