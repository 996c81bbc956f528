/**
 * Password hashing with argon2id at OWASP's recommended minimum (19 MiB, 2 passes, 1 lane;
 * about 50 ms here). A sign-in for an email without an account verifies against a fixed hash,
 * so both take the same time and the answer does not reveal which emails exist.
 */
import { hash, verify, type Algorithm } from '@node-rs/argon2';

const OPTIONS = { algorithm: 2 as Algorithm.Argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 };
let dummyHash: Promise<string> | undefined;

export function hashPassword(password: string): Promise<string> {
  return hash(password.normalize('NFC'), OPTIONS);
}

/** True when `password` matches `stored`; takes as long when there is no stored hash. */
export async function checkPassword(stored: string | null | undefined, password: string): Promise<boolean> {
  const target = stored ?? (await (dummyHash ??= hashPassword('no account has this password')));
  try {
    const matches = await verify(target, password.normalize('NFC'));
    return matches && stored != null;
  } catch {
    return false;
  }
}
