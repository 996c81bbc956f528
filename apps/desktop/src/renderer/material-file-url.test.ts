import { createBridgeTransport } from '@little-monster/ui';
import { describe, expect, it } from 'vitest';
import { materialFileUrl, materialIdOfUrl } from '../shared/material-file-url.js';

describe('the window’s lm-file: URLs', () => {
  it('are built by the UI’s bridge transport exactly as main parses them', () => {
    const transport = createBridgeTransport({
      call: () => Promise.resolve({ ok: true, value: null }),
      onEvent: () => () => {},
      onStatus: () => () => {},
      pathForFile: () => '',
    });
    const id = '3f2b8c1d-6a4e-4b7f-9d2c-1e5a7b9c0d4f';
    expect(transport.files?.urlOf(id)).toBe(materialFileUrl(id));
    expect(materialIdOfUrl(transport.files!.urlOf(id))).toBe(id);
    // Whatever the UI is handed as an id, it cannot name anything but a material.
    expect(materialIdOfUrl(transport.files!.urlOf('../../etc/passwd'))).toBeNull();
  });
});
