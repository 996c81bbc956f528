import { describe, expect, it } from 'vitest';
import { isAllowedExternalUrl } from './external-links.js';

describe('isAllowedExternalUrl', () => {
  it('opens https links to the listed sites', () => {
    expect(isAllowedExternalUrl('https://github.com/some/project/issues')).toBe(true);
    expect(isAllowedExternalUrl('https://huggingface.co/some/model')).toBe(true);
    expect(isAllowedExternalUrl('https://www.gnu.org/licenses/gpl-3.0.html')).toBe(true);
  });

  it('refuses plain http, other schemes and sites not on the list', () => {
    expect(isAllowedExternalUrl('http://github.com/some/project')).toBe(false);
    expect(isAllowedExternalUrl('file:///etc/passwd')).toBe(false);
    expect(isAllowedExternalUrl('javascript:alert(1)')).toBe(false);
    expect(isAllowedExternalUrl('smb://attacker/share')).toBe(false);
    expect(isAllowedExternalUrl('https://example.com/')).toBe(false);
    expect(isAllowedExternalUrl('not a url')).toBe(false);
  });

  it('refuses look-alikes: subdomains, suffixes, credentials and ports', () => {
    expect(isAllowedExternalUrl('https://github.com.evil.example/')).toBe(false);
    expect(isAllowedExternalUrl('https://evil.github.com/')).toBe(false);
    expect(isAllowedExternalUrl('https://github.com@evil.example/')).toBe(false);
    expect(isAllowedExternalUrl('https://user:pass@github.com/')).toBe(false);
    expect(isAllowedExternalUrl('https://github.com:8443/')).toBe(false);
  });
});
