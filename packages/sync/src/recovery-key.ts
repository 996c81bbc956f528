/**
 * Recovery keys as people can write them down: 256 bits in Crockford's base32 (no I, L, O or
 * U; read case-insensitively, with I and L as 1 and O as 0), in dash-separated groups of four.
 */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const KEY_BYTES = 32;

export function encodeRecoveryKey(bytes: Buffer): string {
  let bits = 0;
  let value = 0;
  let text = '';
  for (const byte of bytes) {
    value = ((value << 8) | byte) & 0xffff;
    bits += 8;
    while (bits >= 5) {
      text += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) text += ALPHABET[(value << (5 - bits)) & 31];
  return text.match(/.{1,4}/g)!.join('-');
}

/** The key's bytes, or undefined when the text is not a recovery key. */
export function decodeRecoveryKey(text: string): Buffer | undefined {
  const symbols = text.toUpperCase().replace(/[\s-]/g, '').replace(/[IL]/g, '1').replace(/O/g, '0');
  if (symbols.length !== Math.ceil((KEY_BYTES * 8) / 5)) return undefined;
  const bytes: number[] = [];
  let bits = 0;
  let value = 0;
  for (const symbol of symbols) {
    const digit = ALPHABET.indexOf(symbol);
    if (digit < 0) return undefined;
    value = ((value << 5) | digit) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      bytes.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return bytes.length === KEY_BYTES ? Buffer.from(bytes) : undefined;
}
