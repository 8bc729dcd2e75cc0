import { isIpv4 } from '@isp/routeros';

import { formatId } from '../router-state';
import type { SimItem } from '../schema';
import { addressIn, negation, portIn } from './address-match';
import type { RouterView } from './router-view';
import { shapingFor } from './shaping';

/** The first packet of a new connection from a customer. */
export interface Packet {
  readonly src: string;
  readonly dst: string;
  readonly protocol: 'tcp' | 'udp' | 'icmp';
  readonly dstPort?: number;
  readonly srcPort?: number;
}

export interface PacketVerdict {
  /** `unknown` when a rule on the packet's path uses a matcher or action the simulator does not judge. */
  readonly verdict: 'accept' | 'drop' | 'reject' | 'unknown';
  /** `.id` of the filter rule that decided, or null for the chain's default (accept). */
  readonly rule: string | null;
  readonly chain: 'input' | 'forward';
  /** Where dstnat sent the connection (`address:port`), or null. */
  readonly dstnat: string | null;
  /** The shaping of the client (`<up>/<down>`, e.g. `5M/20M`), or null when nothing limits it. */
  readonly limit: string | null;
  /** Why the verdict is `unknown`. */
  readonly unsupported?: string;
}

/** Where a packet stands while the chains judge it. */
interface Flow {
  readonly packet: Packet;
  readonly dst: string;
  readonly dstPort: number | undefined;
  readonly inInterface: string | undefined;
  readonly dstnatted: boolean;
}

type Walk =
  | { readonly kind: 'final'; readonly rule: SimItem }
  | { readonly kind: 'return' }
  | { readonly kind: 'end' }
  | { readonly kind: 'unsupported'; readonly reason: string };

// Properties of a rule that say what to do, not which packets: never matchers.
const NOT_MATCHERS: ReadonlySet<string> = new Set([
  'chain',
  'action',
  'comment',
  'disabled',
  'log',
  'log-prefix',
  'bytes',
  'packets',
  'invalid',
  'jump-target',
  'reject-with',
  'to-addresses',
  'to-ports',
  'address-list',
  'address-list-timeout',
  'hw-offload',
]);
// Evaluated first, so that a port matcher is only asked of TCP and UDP packets.
const FIRST = 'protocol';
const PROTOCOL_NUMBERS: Readonly<Record<string, string>> = { icmp: '1', tcp: '6', udp: '17' };
const MAX_JUMPS = 32;

type Matcher = (value: string, flow: Flow, view: RouterView) => boolean | 'unsupported';

const listMatcher =
  (pick: (flow: Flow) => string): Matcher =>
  (value, flow, view) => {
    const [not, list] = negation(value);
    return view.listHas(list, pick(flow)) !== not;
  };

const MATCHERS: Readonly<Record<string, Matcher>> = {
  protocol: (value, flow) => {
    const [not, protocol] = negation(value);
    const { protocol: actual } = flow.packet;
    return (protocol === actual || protocol === PROTOCOL_NUMBERS[actual]) !== not;
  },
  'src-address': (value, flow) => {
    const [not, address] = negation(value);
    return addressIn(flow.packet.src, address) !== not;
  },
  'dst-address': (value, flow) => {
    const [not, address] = negation(value);
    return addressIn(flow.dst, address) !== not;
  },
  'src-address-list': listMatcher((flow) => flow.packet.src),
  'dst-address-list': listMatcher((flow) => flow.dst),
  'dst-port': (value, flow) => {
    if (flow.packet.protocol === 'icmp') return false;
    if (flow.dstPort === undefined) return 'unsupported';
    const [not, ports] = negation(value);
    return portIn(flow.dstPort, ports) !== not;
  },
  'src-port': (value, flow) => {
    if (flow.packet.protocol === 'icmp') return false;
    if (flow.packet.srcPort === undefined) return 'unsupported';
    const [not, ports] = negation(value);
    return portIn(flow.packet.srcPort, ports) !== not;
  },
  'in-interface': (value, flow) => {
    const [not, iface] = negation(value);
    return (flow.inInterface === iface) !== not;
  },
  'in-interface-list': (value, flow, view) => {
    const [not, list] = negation(value);
    return view.inList(flow.inInterface, list) !== not;
  },
  // Every packet judged here opens a new connection.
  'connection-state': (value) => {
    const [not, states] = negation(value);
    return states.split(',').includes('new') !== not;
  },
  'connection-nat-state': (value, flow) => {
    const [not, states] = negation(value);
    return (flow.dstnatted && states.split(',').includes('dstnat')) !== not;
  },
  // Customers' packets travel in no IPsec policy.
  'ipsec-policy': (value) => value.split(',').includes('none'),
  'src-mac-address': (value, flow, view) => {
    const [not, mac] = negation(value);
    return (view.macOf(flow.packet.src)?.toUpperCase() === mac.toUpperCase()) !== not;
  },
};

/** Whether `rule` matches `flow`, or the name of the first matcher the simulator cannot judge. */
function matches(rule: SimItem, flow: Flow, view: RouterView): boolean | { unsupported: string } {
  const entries = Object.entries(rule.values).filter(
    ([name, value]) => !NOT_MATCHERS.has(name) && value !== '',
  );
  entries.sort(([a], [b]) => Number(b === FIRST) - Number(a === FIRST));
  for (const [name, value] of entries) {
    const matcher = MATCHERS[name];
    if (matcher === undefined) return { unsupported: `matcher ${name} of rule ${formatId(rule.id)}` };
    const result = matcher(value, flow, view);
    if (result === 'unsupported')
      return { unsupported: `${name} of rule ${formatId(rule.id)} needs a port the packet has not` };
    if (!result) return false;
  }
  return true;
}

/**
 * Walks `chain` of `rules` as RouterOS does: rules in order, the first whose matchers all hold
 * acts; `jump` walks another chain and comes back on `return` or at its end; actions in
 * `passing` let the packet go on to the next rule.
 */
function walk(
  rules: readonly SimItem[],
  chain: string,
  flow: Flow,
  view: RouterView,
  passing: ReadonlySet<string>,
  depth = 0,
): Walk {
  if (depth > MAX_JUMPS) return { kind: 'unsupported', reason: `jumps nest deeper than ${MAX_JUMPS}` };
  for (const rule of rules) {
    if (rule.values['chain'] !== chain) continue;
    const matched = matches(rule, flow, view);
    if (typeof matched === 'object') return { kind: 'unsupported', reason: matched.unsupported };
    if (!matched) continue;
    const action = rule.values['action'] ?? 'accept';
    if (passing.has(action)) continue;
    if (action === 'return') return { kind: 'return' };
    if (action === 'jump') {
      const target = rule.values['jump-target'] ?? '';
      const inner = walk(rules, target, flow, view, passing, depth + 1);
      if (inner.kind === 'return' || inner.kind === 'end') continue;
      return inner;
    }
    return { kind: 'final', rule };
  }
  return { kind: 'end' };
}

const FILTER_PASSING: ReadonlySet<string> = new Set([
  'passthrough',
  'log',
  'add-src-to-address-list',
  'add-dst-to-address-list',
  // Marks the connection for the fast path; the packet itself goes on to the next rule.
  'fasttrack-connection',
]);
const NAT_PASSING: ReadonlySet<string> = new Set(['passthrough', 'log', 'masquerade', 'src-nat']);

function firstAddress(value: string): string | undefined {
  const first = value.split(/[-,/]/)[0] ?? '';
  return isIpv4(first) ? first : undefined;
}

/** `/ip/firewall/nat` chain `dstnat`: where the connection goes after destination NAT. */
function dstnat(flow: Flow, view: RouterView): Flow | { unsupported: string } {
  const result = walk(view.enabled('/ip/firewall/nat'), 'dstnat', flow, view, NAT_PASSING);
  if (result.kind === 'unsupported') return { unsupported: result.reason };
  if (result.kind !== 'final') return flow;
  const { rule } = result;
  const action = rule.values['action'] ?? 'accept';
  const toPorts = rule.values['to-ports'];
  const port = toPorts === undefined || toPorts === '' ? flow.dstPort : Number(toPorts.split('-')[0]);
  if (action === 'accept') return flow;
  if (action === 'dst-nat') {
    const to = firstAddress(rule.values['to-addresses'] ?? '') ?? flow.dst;
    return { ...flow, dst: to, dstPort: port, dstnatted: true };
  }
  if (action === 'redirect') {
    const to = flow.inInterface === undefined ? undefined : view.addressOn(flow.inInterface);
    if (to === undefined)
      return { unsupported: `redirect of rule ${formatId(rule.id)} from an unknown interface` };
    return { ...flow, dst: to, dstPort: port, dstnatted: true };
  }
  return { unsupported: `nat action ${action} of rule ${formatId(rule.id)}` };
}

/**
 * The router's verdict on a new connection from a customer: dstnat, then the filter's `input`
 * chain (to one of the router's own addresses) or `forward` chain, and the shaping that applies
 * to the client. Judged from the router's configuration only, as RouterOS would.
 */
export function judgePacket(packet: Packet, view: RouterView): PacketVerdict {
  const start: Flow = {
    packet,
    dst: packet.dst,
    dstPort: packet.dstPort,
    inInterface: view.interfaceOf(packet.src),
    dstnatted: false,
  };
  const limit = shapingFor(packet.src, view);
  const natted = dstnat(start, view);
  const chainOf = (flow: Flow): 'input' | 'forward' => (view.isOwnAddress(flow.dst) ? 'input' : 'forward');
  if ('unsupported' in natted) {
    return {
      verdict: 'unknown',
      rule: null,
      chain: chainOf(start),
      dstnat: null,
      limit,
      unsupported: natted.unsupported,
    };
  }
  const chain = chainOf(natted);
  const dstnatTo = natted.dstnatted ? `${natted.dst}:${natted.dstPort ?? 0}` : null;
  const result = walk(view.enabled('/ip/firewall/filter'), chain, natted, view, FILTER_PASSING);
  switch (result.kind) {
    case 'unsupported':
      return { verdict: 'unknown', rule: null, chain, dstnat: dstnatTo, limit, unsupported: result.reason };
    case 'final': {
      const action = result.rule.values['action'] ?? 'accept';
      const verdict = action === 'accept' ? 'accept' : action === 'reject' ? 'reject' : 'drop';
      return { verdict, rule: formatId(result.rule.id), chain, dstnat: dstnatTo, limit };
    }
    default:
      // The built-in chains accept what no rule decided.
      return { verdict: 'accept', rule: null, chain, dstnat: dstnatTo, limit };
  }
}
