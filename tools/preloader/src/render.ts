import type { OnboardResult, RouterReport } from './onboard/onboard.command';
import { table } from './output';
import { KIND_TEXT, type ScanResult } from './scan/scan.command';

const MARK: Readonly<Record<string, string>> = {
  added: '+',
  updated: '~',
  removed: '-',
  unchanged: '=',
  planned: '>',
};

export function renderScan(result: ScanResult): string {
  const rows = result.listeners.map((l) => [
    l.address,
    KIND_TEXT[l.kind],
    l.version ?? '',
    l.board ?? '',
    l.identity ?? '',
    l.serial ?? '',
    l.neighbours.map((n) => `${n.mac ?? '?'} ${n.identity ?? ''}`.trim()).join(', '),
  ]);
  const lines = [
    `${result.subnet} port ${result.port}: ${result.scanned} hosts probed in ${result.seconds.toFixed(1)} s, ${result.listeners.length} listening`,
    '',
    rows.length === 0
      ? '(nothing listens on this port)'
      : table(['ADDRESS', 'WHAT', 'VERSION', 'BOARD', 'IDENTITY', 'SERIAL', 'MNDP (MAC IDENTITY)'], rows),
  ];
  if (result.neighbours.length > 0) {
    lines.push('', `MNDP neighbours heard: ${result.neighbours.length}`);
    lines.push(
      table(
        ['MAC', 'IDENTITY', 'ADDRESS', 'VERSION', 'BOARD', 'FROM'],
        result.neighbours.map((n) => [
          n.mac ?? '',
          n.identity ?? '',
          n.address ?? '',
          n.version ?? '',
          n.board ?? '',
          n.from,
        ]),
      ),
    );
  }
  return `${lines.join('\n')}\n`;
}

function renderRouter(router: RouterReport, dryRun: boolean): string[] {
  const status =
    router.status === 'unchanged'
      ? 'already onboarded, left as is'
      : router.status === 'planned'
        ? 'plan (dry run)'
        : router.status;
  const lines = [
    `${router.host}:${router.port}  ${status.toUpperCase()}${router.identity === undefined ? '' : `  identity ${router.identity}`}${router.serial === undefined ? '' : `  serial ${router.serial}`}${router.version === undefined ? '' : `  RouterOS ${router.version}`}${router.board === undefined ? '' : `  ${router.board}`}`,
  ];
  for (const step of router.steps) {
    lines.push(
      `  ${step.title}: ${step.changed} ${dryRun ? 'to change' : 'changed'}, ${step.unchanged} already so`,
    );
    for (const command of step.commands) {
      if (!dryRun && command.outcome === 'unchanged' && step.name !== 'verify') continue;
      lines.push(`    ${MARK[command.outcome] ?? ' '} ${command.command}`);
    }
  }
  if (router.adminPassword !== undefined)
    lines.push(`  factory admin's new password (shown once, store it now): ${router.adminPassword}`);
  if (router.adminDisabled === true) lines.push('  factory admin disabled');
  if (router.wireguardPublicKey !== undefined)
    lines.push(
      `  WireGuard public key of this router (add it as a peer at the NOC): ${router.wireguardPublicKey}`,
    );
  if (router.apiSslFingerprint !== undefined)
    lines.push(`  api-ssl certificate fingerprint: ${router.apiSslFingerprint}`);
  if (router.error !== undefined)
    lines.push(`  FAILED in ${router.error.step}: [${router.error.code}] ${router.error.message}`);
  return lines;
}

export function renderOnboard(result: OnboardResult): string {
  const lines: string[] = [];
  for (const router of result.routers) lines.push(...renderRouter(router, result.dryRun), '');
  const count = (status: RouterReport['status']): number =>
    result.routers.filter((r) => r.status === status).length;
  lines.push(
    result.dryRun
      ? `dry run: ${count('planned')} planned, ${count('failed')} failed; nothing was changed`
      : `${count('onboarded')} onboarded, ${count('unchanged')} already onboarded, ${count('failed')} failed`,
  );
  return `${lines.join('\n')}\n`;
}

/**
 * The `--json` shape: the same facts, commands with their outcome, and no secret — neither one
 * from the environment nor the factory admin's new password (`adminPasswordNotice` tells it to
 * the technician's terminal instead).
 */
export function onboardJson(result: OnboardResult): string {
  const routers = result.routers.map(({ adminPassword, ...router }) =>
    adminPassword === undefined ? router : { ...router, adminPasswordChanged: true },
  );
  return `${JSON.stringify({ ...result, routers }, null, 2)}\n`;
}

/** The factory admins' new passwords, for stderr when stdout carries `--json`. */
export function adminPasswordNotice(result: OnboardResult): string {
  return result.routers
    .filter((router) => router.adminPassword !== undefined)
    .map(
      (router) =>
        `${router.host}:${router.port} factory admin's new password (shown once, store it now): ${router.adminPassword}\n`,
    )
    .join('');
}

export function scanJson(result: ScanResult): string {
  return `${JSON.stringify(result, null, 2)}\n`;
}
