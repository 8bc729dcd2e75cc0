import { createHash } from 'node:crypto';

/**
 * The pre-6.43 challenge response: `00` + hex(MD5(0x00 ‖ password ‖ unhex(challenge))).
 * Routers before 6.43 need it; the simulator's legacy mode checks it.
 */
export function legacyLoginResponse(password: string, challengeHex: string): string {
  const digest = createHash('md5')
    .update(Buffer.from([0]))
    .update(Buffer.from(password, 'utf8'))
    .update(Buffer.from(challengeHex, 'hex'))
    .digest('hex');
  return `00${digest}`;
}
