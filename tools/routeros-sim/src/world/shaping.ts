import { addressIn } from './address-match';
import type { RouterView } from './router-view';

function formatRate(bits: string): string {
  const n = Number(bits);
  if (!Number.isFinite(n)) return bits;
  if (n !== 0 && n % 1_000_000 === 0) return `${n / 1_000_000}M`;
  if (n !== 0 && n % 1_000 === 0) return `${n / 1_000}k`;
  return String(n);
}

/**
 * The limit a client's traffic gets: the first enabled simple queue (static or dynamic, in list
 * order, as RouterOS matches them) whose target holds the address or is the client's interface.
 * `<up>/<down>` (the queue's max-limit), or null when no queue limits the client.
 */
export function shapingFor(address: string, view: RouterView): string | null {
  const iface = view.interfaceOf(address);
  const queue = view
    .enabled('/queue/simple')
    .find((item) =>
      (item.values['target'] ?? '')
        .split(',')
        .some((target) => target === iface || addressIn(address, target)),
    );
  if (queue === undefined) return null;
  const [up = '0', down = '0'] = (queue.values['max-limit'] ?? '0/0').split('/');
  if (up === '0' && down === '0') return null;
  return `${formatRate(up)}/${formatRate(down)}`;
}
