import { Writable } from 'node:stream';
import { createLogger } from '@isp/logging';
import { describe, expect, it, vi } from 'vitest';
import { loadConfigOrExit, onShutdownSignal } from '../src/index';

const silent = createLogger({
  name: 'test',
  destination: new Writable({
    write: (_c, _e, done) => {
      done();
    },
  }),
});

describe(loadConfigOrExit.name, () => {
  it('returns the configuration when it is valid', () => {
    expect(loadConfigOrExit(() => ({ port: 1 }))).toEqual({ port: 1 });
  });

  it('prints the one message and exits 1 when it is not', () => {
    const exit = vi.spyOn(process, 'exit').mockImplementation(() => undefined as never);
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    loadConfigOrExit(() => {
      throw new Error('ISP_MAC_TOKEN: is required');
    });
    expect(stderr).toHaveBeenCalledWith('ISP_MAC_TOKEN: is required\n');
    expect(exit).toHaveBeenCalledWith(1);
    exit.mockRestore();
    stderr.mockRestore();
  });
});

describe(onShutdownSignal.name, () => {
  it('stops once, however many signals arrive', async () => {
    const stop = vi.fn(() => Promise.resolve());
    onShutdownSignal(silent, 1_000, stop);
    process.emit('SIGTERM');
    process.emit('SIGINT');
    await new Promise((r) => setTimeout(r, 10));
    expect(stop).toHaveBeenCalledTimes(1);
  });
});
