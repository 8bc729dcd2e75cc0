import { createHash, timingSafeEqual } from 'node:crypto';

const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i;

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/**
 * A check that an Authorization header carries exactly `Bearer <expected>`. The presented token is
 * hashed and compared with the expected token's hash, so the comparison takes the same time whatever
 * the length or content of the presented token; the expected hash is computed once, not per request.
 */
export function bearerChecker(expected: string): (header: string | undefined) => boolean {
  const expectedDigest = digest(expected);
  return (header) => {
    const presented = header === undefined ? undefined : BEARER.exec(header)?.[1];
    const equal = timingSafeEqual(digest(presented ?? ''), expectedDigest);
    return presented !== undefined && equal;
  };
}
