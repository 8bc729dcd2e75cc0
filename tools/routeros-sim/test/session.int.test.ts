import net from 'node:net';

import { encodeSentence, SentenceDecoder } from '@isp/routeros';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startLab } from '../src/index';
import type { Lab } from '../src/index';

// Byte-level conversations with the simulator. This file owns 127.0.9.x.
let lab: Lab;

beforeAll(async () => {
  lab = await startLab({ host: '127.0.9.1', port: 0, version: '7.20' });
});

afterAll(async () => {
  await lab.close();
});

/** Opens a raw socket; `exchange` sends sentences and collects `count` reply sentences. */
async function raw(): Promise<{
  exchange: (sentences: readonly (readonly string[])[], count: number) => Promise<string[][]>;
  writeBytes: (bytes: Buffer) => void;
  closed: Promise<void>;
  end: () => void;
}> {
  const router = lab.routers[0]!;
  const socket = net.connect({ host: router.address, port: router.port });
  await new Promise<void>((resolve) => socket.once('connect', resolve));
  const decoder = new SentenceDecoder();
  const received: string[][] = [];
  let waiter: (() => void) | undefined;
  socket.on('data', (chunk: Buffer) => {
    received.push(...decoder.push(chunk));
    waiter?.();
  });
  const closed = new Promise<void>((resolve) =>
    socket.once('close', () => {
      resolve();
    }),
  );
  return {
    exchange: async (sentences, count) => {
      for (const sentence of sentences) socket.write(encodeSentence(sentence));
      while (received.length < count) await new Promise<void>((resolve) => (waiter = resolve));
      return received.splice(0, count);
    },
    writeBytes: (bytes) => socket.write(bytes),
    closed,
    end: () => socket.destroy(),
  };
}

describe('Session', () => {
  it('answers commands before login with a tagged trap', async () => {
    const s = await raw();
    expect(await s.exchange([['/interface/print', '.tag=a']], 2)).toEqual([
      ['!trap', '.tag=a', '=category=0', '=message=not logged in'],
      ['!done', '.tag=a'],
    ]);
    s.end();
  });

  it('echoes the tag second, answers the # keepalive, ignores empty sentences and sends !empty', async () => {
    const s = await raw();
    s.writeBytes(Buffer.from([0]));
    expect(await s.exchange([['/login', '=name=admin', '=password=', '.tag=l']], 1)).toEqual([
      ['!done', '.tag=l'],
    ]);
    expect(await s.exchange([['#', '.tag=k']], 2)).toEqual([
      ['!trap', '.tag=k', '=category=0', '=message=no such command prefix'],
      ['!done', '.tag=k'],
    ]);
    expect(await s.exchange([['/queue/simple/print', '.tag=e']], 2)).toEqual([
      ['!empty', '.tag=e'],
      ['!done', '.tag=e'],
    ]);
    expect(await s.exchange([['/system/identity/print']], 2)).toEqual([['!re', '=name=MikroTik'], ['!done']]);
    s.end();
  });

  it('sends !fatal with a bare reason on /quit and closes', async () => {
    const s = await raw();
    await s.exchange([['/login', '=name=admin', '=password=']], 1);
    expect(await s.exchange([['/quit', '.tag=q']], 1)).toEqual([['!fatal', 'session terminated on request']]);
    await s.closed;
  });

  it('closes the connection on a reserved control byte', async () => {
    const s = await raw();
    s.writeBytes(Buffer.from([0xf8, 0, 0, 0, 0]));
    await s.closed;
  });

  it("cancels in device order: trap, the cancel's done, the cancelled done", async () => {
    const s = await raw();
    await s.exchange([['/login', '=name=admin', '=password=']], 1);
    s.writeBytes(encodeSentence(['/ip/address/listen', '.tag=10']));
    expect(await s.exchange([['/cancel', '=tag=10', '.tag=20']], 3)).toEqual([
      ['!trap', '.tag=10', '=category=2', '=message=interrupted'],
      ['!done', '.tag=20'],
      ['!done', '.tag=10'],
    ]);
    s.end();
  });
});
