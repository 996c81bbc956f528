/**
 * Whether `candidate` is our own renderer document: a file URL to the very same file. The query
 * and fragment are ignored (the UI may route by hash). Anything else, including another local
 * file, is not ours.
 */
export function isRendererUrl(
  candidate: string,
  rendererUrl: string,
  platform: NodeJS.Platform = process.platform,
): boolean {
  const actual = filePathOf(candidate);
  const expected = filePathOf(rendererUrl);
  if (actual === null || expected === null) return false;
  if (actual.host !== expected.host) return false;
  // Windows paths are case-insensitive (and Chromium may spell the drive letter either way).
  return platform === 'win32'
    ? actual.path.toLowerCase() === expected.path.toLowerCase()
    : actual.path === expected.path;
}

function filePathOf(url: string): { host: string; path: string } | null {
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'file:') return null;
    return { host: parsed.host, path: decodeURIComponent(parsed.pathname) };
  } catch {
    return null;
  }
}
