import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';

import { SimError } from './errors';
import type { SerializedState } from './router-state';

/** Router states by address, as kept across restarts with `--state-file`. */
export type LabState = Readonly<Record<string, SerializedState>>;

export function readLabState(path: string): LabState | undefined {
  if (!existsSync(path)) return undefined;
  try {
    const parsed: unknown = JSON.parse(readFileSync(path, 'utf8'));
    if (typeof parsed !== 'object' || parsed === null)
      throw new SimError('ISP_ERR_SIM_STATE_FILE', `${path} is not an object`);
    return parsed as LabState;
  } catch (error) {
    if (error instanceof SimError) throw error;
    throw new SimError(
      'ISP_ERR_SIM_STATE_FILE',
      `${path}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

/** Writes atomically so a crash mid-write never leaves half a file. */
export function writeLabState(path: string, state: LabState): void {
  const temporary = `${path}.tmp`;
  writeFileSync(temporary, JSON.stringify(state));
  renameSync(temporary, path);
}
