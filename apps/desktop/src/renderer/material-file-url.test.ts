import { createBridgeTransport } from '@little-monster/ui';
import { describe, expect, it } from 'vitest';
import {
  lectureIdOfUrl,
  materialFileUrl,
  materialIdOfUrl,
  recordingFileUrl,
} from '../shared/material-file-url.js';

describe('the window’s lm-file: URLs', () => {
  const transport = createBridgeTransport({
    call: () => Promise.resolve({ ok: true, value: null }),
    onEvent: () => () => {},
    onStatus: () => () => {},
    pathForFile: () => '',
  });
  const id = '3f2b8c1d-6a4e-4b7f-9d2c-1e5a7b9c0d4f';

  it('are built by the UI’s bridge transport exactly as main parses them', () => {
    expect(transport.files?.urlOf(id)).toBe(materialFileUrl(id));
    expect(materialIdOfUrl(transport.files!.urlOf(id))).toBe(id);
    // Whatever the UI is handed as an id, it cannot name anything but a material.
    expect(materialIdOfUrl(transport.files!.urlOf('../../etc/passwd'))).toBeNull();
  });

  it('for a lecture’s recording too', () => {
    const recordingUrl = transport.files?.recordingUrl;
    expect(recordingUrl).toBeDefined();
    expect(recordingUrl!(id)).toBe(recordingFileUrl(id));
    expect(lectureIdOfUrl(recordingUrl!(id))).toBe(id);
    expect(lectureIdOfUrl(recordingUrl!('../../etc/passwd'))).toBeNull();
  });
});
