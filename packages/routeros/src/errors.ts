/** Every error this package raises, by code. The text is the default message when none is more specific. */
export const ROUTEROS_ERRORS = {
  ISP_ERR_ROUTEROS_CONTROL_BYTE: 'reserved control byte in word length',
  ISP_ERR_ROUTEROS_WORD_TOO_LONG: 'word exceeds the configured size cap',
  ISP_ERR_ROUTEROS_SENTENCE_TOO_LONG: 'sentence exceeds the configured size cap',
  ISP_ERR_ROUTEROS_TRUNCATED: 'stream ended inside a sentence',
  ISP_ERR_ROUTEROS_BAD_REPLY: 'malformed reply sentence',
  ISP_ERR_ROUTEROS_TRAP: 'command failed',
  ISP_ERR_ROUTEROS_NOT_FOUND: 'no such item',
  ISP_ERR_ROUTEROS_DUPLICATE: 'item already exists',
  ISP_ERR_ROUTEROS_BAD_VALUE: 'bad argument value',
  ISP_ERR_ROUTEROS_UNKNOWN_PARAMETER: 'unknown parameter',
  ISP_ERR_ROUTEROS_NO_SUCH_COMMAND: 'no such command',
  ISP_ERR_ROUTEROS_PERMISSION: 'not enough permissions',
  ISP_ERR_ROUTEROS_INTERRUPTED: 'command interrupted',
  ISP_ERR_ROUTEROS_LOGIN_FAILED: 'login failed',
  ISP_ERR_ROUTEROS_FATAL: 'router closed the session',
  ISP_ERR_ROUTEROS_TIMEOUT: 'command timed out',
  ISP_ERR_ROUTEROS_CONNECT_FAILED: 'cannot connect to router',
  ISP_ERR_ROUTEROS_TLS_FINGERPRINT: 'router certificate fingerprint does not match the pinned one',
  ISP_ERR_ROUTEROS_CONNECTION_LOST: 'connection to router lost',
  ISP_ERR_ROUTEROS_CLOSED: 'client closed',
} as const;

export type RouterOsErrorCode = keyof typeof ROUTEROS_ERRORS;

/** One `!trap` sentence as the router sent it. */
export interface Trap {
  readonly message: string;
  readonly category?: number;
}

export interface RouterOsErrorDetails {
  readonly message?: string;
  readonly category?: number;
  /** Every `!trap` the command produced (RouterOS can send several for one command). */
  readonly traps?: readonly Trap[];
  readonly command?: string;
  readonly cause?: unknown;
}

export class RouterOsError extends Error {
  readonly code: RouterOsErrorCode;
  readonly category: number | undefined;
  readonly traps: readonly Trap[];
  readonly command: string | undefined;

  constructor(code: RouterOsErrorCode, details: RouterOsErrorDetails = {}) {
    super(
      details.message ?? ROUTEROS_ERRORS[code],
      details.cause === undefined ? {} : { cause: details.cause },
    );
    this.name = 'RouterOsError';
    this.code = code;
    this.category = details.category;
    this.traps = details.traps ?? [];
    this.command = details.command;
  }
}

export function isRouterOsError(error: unknown, code?: RouterOsErrorCode): error is RouterOsError {
  return error instanceof RouterOsError && (code === undefined || error.code === code);
}

// Ordered: the first pattern that matches the first trap's message decides the code. Texts are
// RouterOS's own (see docs/routeros-api.md §1.9); everything else stays a generic trap.
const TRAP_CLASSES: readonly (readonly [RegExp, RouterOsErrorCode])[] = [
  [/^no such item/, 'ISP_ERR_ROUTEROS_NOT_FOUND'],
  [/^failure: (already have|.* already exists)/, 'ISP_ERR_ROUTEROS_DUPLICATE'],
  [/^unknown parameter/, 'ISP_ERR_ROUTEROS_UNKNOWN_PARAMETER'],
  [/^no such command/, 'ISP_ERR_ROUTEROS_NO_SUCH_COMMAND'],
  [/^not enough permissions/, 'ISP_ERR_ROUTEROS_PERMISSION'],
  [/^interrupted$/, 'ISP_ERR_ROUTEROS_INTERRUPTED'],
  [/^(invalid user name or password|cannot log in)/, 'ISP_ERR_ROUTEROS_LOGIN_FAILED'],
  [
    /^(input does not match any value|value of .* out of range|invalid value|missing value)/,
    'ISP_ERR_ROUTEROS_BAD_VALUE',
  ],
];

/** Turns the traps of one command into a typed error that keeps the router's message and category. */
export function errorFromTraps(traps: readonly Trap[], command?: string): RouterOsError {
  const first = traps[0] ?? { message: ROUTEROS_ERRORS.ISP_ERR_ROUTEROS_TRAP };
  const match = TRAP_CLASSES.find(([pattern]) => pattern.test(first.message));
  return new RouterOsError(match?.[1] ?? 'ISP_ERR_ROUTEROS_TRAP', {
    message: first.message,
    ...(first.category === undefined ? {} : { category: first.category }),
    traps,
    ...(command === undefined ? {} : { command }),
  });
}
