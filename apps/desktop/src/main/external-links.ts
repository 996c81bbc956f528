/**
 * Sites a link in the app may open in the student's browser: the project's code and issues,
 * the model pages the catalog links to, and the licence text. Everything else is ignored.
 */
export const EXTERNAL_LINK_HOSTS: readonly string[] = ['github.com', 'huggingface.co', 'www.gnu.org'];

/**
 * Only https (never http: a downgraded link could be rewritten on the way), no credentials,
 * no custom port, and an exact host from the list (no look-alike subdomains).
 */
export function isAllowedExternalUrl(url: string, hosts: readonly string[] = EXTERNAL_LINK_HOSTS): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return (
    parsed.protocol === 'https:' &&
    parsed.username === '' &&
    parsed.password === '' &&
    parsed.port === '' &&
    hosts.includes(parsed.hostname)
  );
}
