import { createHash, timingSafeEqual } from 'node:crypto';

const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i;

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/**
 * True when the Authorization header carries exactly `Bearer <expected>`. Both sides are hashed first so
 * the comparison takes the same time whatever the length or content of the presented token.
 */
export function bearerMatches(header: string | undefined, expected: string): boolean {
  const presented = header === undefined ? undefined : BEARER.exec(header)?.[1];
  const equal = timingSafeEqual(digest(presented ?? ''), digest(expected));
  return presented !== undefined && equal;
}
