import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import type { OdooCommand } from './locate';

export interface OdooRun {
  readonly exitCode: number;
  readonly log: string;
}

/** Runs Odoo to completion, writing its log to `logFile` as it goes. */
export function runOdoo(
  odoo: OdooCommand,
  args: readonly string[],
  logFile: string,
  stdin?: string,
): Promise<OdooRun> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(odoo.command, [...odoo.args, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    const out = createWriteStream(logFile);
    const chunks: Buffer[] = [];
    const collect = (chunk: Buffer): void => {
      chunks.push(chunk);
      out.write(chunk);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.on('error', reject);
    child.on('close', (code) => {
      out.end();
      resolvePromise({ exitCode: code ?? 1, log: Buffer.concat(chunks).toString('utf8') });
    });
    child.stdin.end(stdin ?? '');
  });
}
