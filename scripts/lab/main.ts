// The compose stack's router lab: LAB_ROUTERS simulated MikroTiks in one container, router n
// reachable from the other containers on the container's address, port 8728 + n.
//
// The simulator gives each router an address of its own (its serial and MACs derive from it), which
// a container has only on loopback: the routers listen on 127.0.0.1, 127.0.0.2, … port 18728 (api-ssl
// 18729, not forwarded), and this process forwards 0.0.0.0:8728 + n to router n's API. The simulator's control API (leases, faults)
// stays on the container's loopback, 127.0.0.1:8720.
import { spawn } from 'node:child_process';
import { createConnection, createServer, type Server } from 'node:net';
import { resolve } from 'node:path';

// The simulator runs as a process of its own: from source through tsx (resolved from the
// repository root), or in the sidecar image from its bundle beside this one's
// (dist/routeros-sim.mjs, see scripts/bundle/sidecars.ts).
const FROM_SOURCE = import.meta.filename.endsWith('.ts');
const ROOT = resolve(import.meta.dirname, '../..');
const SIMULATOR = FROM_SOURCE
  ? ['--import', 'tsx', resolve(ROOT, 'tools/routeros-sim/src/main.ts')]
  : [resolve(import.meta.dirname, 'routeros-sim.mjs')];
const FIRST_PUBLIC_PORT = 8728;
const SIMULATOR_PORT = 18728;
const SIMULATOR_TLS_PORT = 18729;
const CONTROL = '127.0.0.1:8720';
const MAX_ROUTERS = 200;
const START_TIMEOUT_MS = 60_000;

function routerCount(value: string | undefined): number {
  const count = Number(value ?? '1');
  if (!Number.isInteger(count) || count < 1 || count > MAX_ROUTERS) {
    throw new Error(`LAB_ROUTERS must be a whole number from 1 to ${MAX_ROUTERS}, not "${value ?? ''}"`);
  }
  return count;
}

function forward(publicPort: number, routerAddress: string): Promise<Server> {
  const server = createServer((client) => {
    const router = createConnection({ host: routerAddress, port: SIMULATOR_PORT });
    client.pipe(router).pipe(client);
    client.on('error', () => router.destroy());
    router.on('error', () => client.destroy());
  });
  return new Promise((resolveListen, rejectListen) => {
    server.once('error', rejectListen);
    server.listen(publicPort, '0.0.0.0', () => {
      resolveListen(server);
    });
  });
}

async function controlAnswers(deadline: number): Promise<boolean> {
  while (Date.now() < deadline) {
    const ok = await fetch(`http://${CONTROL}/routers`).then(
      (response) => response.ok,
      () => false,
    );
    if (ok) return true;
    await new Promise((wake) => setTimeout(wake, 250));
  }
  return false;
}

async function main(): Promise<void> {
  const count = routerCount(process.env['LAB_ROUTERS']);
  const simulator = spawn(
    process.execPath,
    [
      ...SIMULATOR,
      '--host',
      '127.0.0.1',
      '--port',
      String(SIMULATOR_PORT),
      '--tls-port',
      String(SIMULATOR_TLS_PORT),
      '--count',
      String(count),
      '--control',
      CONTROL,
    ],
    { cwd: FROM_SOURCE ? ROOT : import.meta.dirname, stdio: 'inherit' },
  );
  const servers: Server[] = [];
  const closeServers = (): void => {
    for (const server of servers) server.close();
  };
  // The simulator saves its state and closes on SIGTERM; this process ends with it.
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      closeServers();
      simulator.kill(signal);
    });
  }
  simulator.once('exit', (code, signal) => {
    closeServers();
    process.exit(code ?? (signal === 'SIGTERM' || signal === 'SIGINT' ? 0 : 1));
  });
  for (let index = 0; index < count; index++) {
    servers.push(await forward(FIRST_PUBLIC_PORT + index, `127.0.0.${String(index + 1)}`));
  }
  // A simulator that failed to start may keep running without its control API: end the lab instead.
  if (!(await controlAnswers(Date.now() + START_TIMEOUT_MS))) {
    simulator.kill('SIGTERM');
    throw new Error(`the simulator's control API did not answer on ${CONTROL}`);
  }
  process.stdout.write(
    `lab: ${String(count)} router(s) on ports ${String(FIRST_PUBLIC_PORT)}–${String(FIRST_PUBLIC_PORT + count - 1)}\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`lab: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
