import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, run } from './engine';

/**
 * The repository as a fresh clone has it, in `dir`/repo: the files git tracks plus the new ones it
 * does not ignore (the change under test), without node_modules, build output or the browser
 * libraries pnpm install copies into the addons. The stack runs from there, as an operator who
 * cloned and ran `docker compose up` without pnpm on the host.
 */
export async function freshCheckout(dir: string): Promise<string> {
  const target = join(dir, 'repo');
  mkdirSync(target);
  // A tracked file deleted in the work tree is left out (tar --ignore-failed-read).
  await run('sh', [
    '-c',
    'git -C "$1" ls-files -z --cached --others --exclude-standard | ' +
      'tar -C "$1" --null --ignore-failed-read -T - -cf - 2>/dev/null | tar -C "$2" -xf -',
    'sh',
    ROOT,
    target,
  ]);
  return target;
}
