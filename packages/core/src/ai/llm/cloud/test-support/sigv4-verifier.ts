/**
 * Checks an AWS Signature Version 4 Authorization header the way an AWS endpoint does, written
 * from the published algorithm (not the SDK's signer): canonical request (method, path with
 * each segment URI-encoded a second time as every service but S3 expects, sorted query,
 * the signed headers, payload SHA-256), string to sign, and the HMAC key chain
 * AWS4<secret> -> date -> region -> service -> aws4_request.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export interface SignedRequest {
  method: string;
  /** The path as it arrived (already URI-encoded once), without the query. */
  path: string;
  query: string;
  header(name: string): string | undefined;
  body: Buffer;
}

export interface SigningSecrets {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string | undefined;
}

export type SignatureVerdict =
  | { ok: true }
  | { ok: false; reason: 'missing' | 'unknown-key' | 'bad-signature' | 'bad-token' | 'bad-scope' };

const AUTHORIZATION =
  /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([a-z0-9:;-]+), ?Signature=([0-9a-f]{64})$/;

export function verifySigV4(
  request: SignedRequest,
  secrets: SigningSecrets,
  scope: { region: string; service: string },
): SignatureVerdict {
  const match = AUTHORIZATION.exec(request.header('authorization') ?? '');
  const amzDate = request.header('x-amz-date');
  if (!match || !amzDate) return { ok: false, reason: 'missing' };
  const [, keyId, date, region, service, signedHeaders, signature] = match as unknown as string[];
  if (keyId !== secrets.accessKeyId) return { ok: false, reason: 'unknown-key' };
  if (region !== scope.region || service !== scope.service || !amzDate.startsWith(date!))
    return { ok: false, reason: 'bad-scope' };
  const names = signedHeaders!.split(';');
  if (secrets.sessionToken !== undefined) {
    if (
      request.header('x-amz-security-token') !== secrets.sessionToken ||
      !names.includes('x-amz-security-token')
    )
      return { ok: false, reason: 'bad-token' };
  }

  const payloadHash = sha256(request.body);
  const declared = request.header('x-amz-content-sha256');
  if (declared !== undefined && declared !== payloadHash) return { ok: false, reason: 'bad-signature' };
  const canonicalRequest = [
    request.method,
    request.path.split('/').map(uriEncode).join('/'),
    canonicalQuery(request.query),
    names.map((name) => `${name}:${(request.header(name) ?? '').trim().replace(/\s+/g, ' ')}\n`).join(''),
    signedHeaders,
    payloadHash,
  ].join('\n');
  const credentialScope = `${date}/${region}/${service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, credentialScope, sha256(canonicalRequest)].join('\n');
  let key: Buffer = hmac(`AWS4${secrets.secretAccessKey}`, date!);
  for (const part of [region!, service!, 'aws4_request']) key = hmac(key, part);
  const expected = hmac(key, stringToSign);
  const given = Buffer.from(signature!, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected)
    ? { ok: true }
    : { ok: false, reason: 'bad-signature' };
}

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();

/** RFC 3986 unreserved characters stay; everything else is %XX (upper case). */
function uriEncode(text: string): string {
  return encodeURIComponent(text).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

function canonicalQuery(query: string): string {
  if (!query) return '';
  return query
    .split('&')
    .map((pair) => {
      const [name = '', value = ''] = pair.split('=').map((part) => uriEncode(decodeURIComponent(part)));
      return [name, value] as const;
    })
    .sort(([a, x], [b, y]) => (a === b ? (x < y ? -1 : 1) : a < b ? -1 : 1))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
}
