import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

const FERNET_KEY = /^[A-Za-z0-9_-]{43}=$/;

/**
 * The dev Odoo's `ISP_FERNET_KEY` (router passwords are stored encrypted with it): made once and
 * kept in the state directory, since a password stored with one key cannot be read with another.
 */
export function devFernetKey(file: string): string {
  if (existsSync(file)) {
    const key = readFileSync(file, 'utf8').trim();
    if (!FERNET_KEY.test(key)) throw new Error(`${file} does not hold a Fernet key; delete it with .dev/`);
    return key;
  }
  // Fernet: 32 random bytes, url-safe base64 with its padding.
  const key = `${randomBytes(32).toString('base64url')}=`;
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${key}\n`, { mode: 0o600 });
  return key;
}
