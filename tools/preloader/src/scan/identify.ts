import { isRouterOsError, RouterClient } from '@isp/routeros';

/** What answered on the API port. */
export type ListenerKind = 'routeros' | 'routeros-login-refused' | 'closed' | 'not-routeros';

export interface Identification {
  readonly kind: ListenerKind;
  readonly version?: string;
  readonly board?: string;
  readonly identity?: string;
  readonly serial?: string;
  /** Why it was classified so, for the non-RouterOS and refused cases. */
  readonly detail?: string;
}

export const FACTORY_USER = 'admin';
export const FACTORY_PASSWORD = '';

// A login reply is a few short words; anything bigger is another protocol talking.
const PROBE_LIMITS = { maxWordBytes: 4096, maxSentenceBytes: 16_384, maxWords: 64 };

/**
 * The API login handshake with the factory credentials decides: a RouterOS reply to `/login`
 * (`!done`, or a login `!trap`/`!fatal`) is RouterOS; bytes that are no reply sentence, or no
 * answer at all, are something else.
 */
export async function identify(host: string, port: number, timeoutMs: number): Promise<Identification> {
  let client: RouterClient;
  try {
    client = await RouterClient.connect({
      host,
      port,
      user: FACTORY_USER,
      password: FACTORY_PASSWORD,
      timeoutMs,
      decoderLimits: PROBE_LIMITS,
    });
  } catch (error) {
    return classifyLoginFailure(error);
  }
  try {
    return { kind: 'routeros', ...(await routerFacts(client)) };
  } catch (error) {
    // Logged in, so RouterOS; the facts are a bonus.
    return { kind: 'routeros', detail: error instanceof Error ? error.message : String(error) };
  } finally {
    await client.close();
  }
}

function classifyLoginFailure(error: unknown): Identification {
  const detail = error instanceof Error ? error.message : String(error);
  if (isRouterOsError(error, 'ISP_ERR_ROUTEROS_LOGIN_FAILED'))
    return { kind: 'routeros-login-refused', detail };
  if (isRouterOsError(error, 'ISP_ERR_ROUTEROS_FATAL')) return { kind: 'routeros-login-refused', detail };
  // Accepted, then closed before any reply: RouterOS does this to addresses outside the API
  // service's available-from, and so do many other servers; the scan cannot tell which.
  if (isRouterOsError(error, 'ISP_ERR_ROUTEROS_CONNECT_FAILED') && /closed the connection/.test(detail))
    return { kind: 'closed', detail };
  return { kind: 'not-routeros', detail };
}

export interface RouterFacts {
  readonly version?: string;
  readonly board?: string;
  readonly identity?: string;
  readonly serial?: string;
}

/** Version, board, identity and serial of a logged-in router (CHR/x86 have no routerboard menu). */
export async function routerFacts(client: RouterClient): Promise<RouterFacts> {
  const [resource, identity, routerboard] = await Promise.all([
    client.print('/system/resource', { proplist: ['version', 'board-name'] }),
    client.print('/system/identity', { proplist: ['name'] }),
    client.print('/system/routerboard', { proplist: ['serial-number'] }).catch(() => []),
  ]);
  const version = resource[0]?.['version'];
  const board = resource[0]?.['board-name'];
  const name = identity[0]?.['name'];
  const serial = routerboard[0]?.['serial-number'];
  return {
    ...(version === undefined ? {} : { version }),
    ...(board === undefined ? {} : { board }),
    ...(name === undefined ? {} : { identity: name }),
    ...(serial === undefined || serial === '' ? {} : { serial }),
  };
}
