import type { AuditEntry } from '../adapters/provisioner-odoo';

/**
 * Audit rows a pass wrote on the router but could not deliver to Odoo (Odoo went away at the
 * report). The job is retried, and its next pass finds the router already right: without these
 * rows the audit would show only that pass's no-op, not the change. Kept in memory per process, so a
 * retry on another replica, or after a crash, still records only the no-op.
 */
export interface AuditBacklog {
  /** Removes and returns the rows kept for these jobs, oldest first. */
  take(jobIds: Iterable<number>): AuditEntry[];
  /** Keeps rows for their jobs' next pass. */
  keep(entries: readonly AuditEntry[]): void;
}

/** At most `maxEntries` rows are kept; past that the oldest go (jobs cancelled meanwhile never ask). */
export function createAuditBacklog(maxEntries = 10_000): AuditBacklog {
  const byJob = new Map<number, AuditEntry[]>();
  let size = 0;
  return {
    take(jobIds) {
      const rows: AuditEntry[] = [];
      for (const id of jobIds) {
        const kept = byJob.get(id);
        if (kept === undefined) continue;
        byJob.delete(id);
        size -= kept.length;
        rows.push(...kept);
      }
      return rows;
    },
    keep(entries) {
      for (const entry of entries) {
        if (entry.jobId === undefined) continue;
        const list = byJob.get(entry.jobId) ?? [];
        list.push(entry);
        byJob.set(entry.jobId, list);
        size++;
      }
      // A Map iterates in insertion order: the jobs kept longest go first.
      for (const [id, kept] of byJob) {
        if (size <= maxEntries) break;
        byJob.delete(id);
        size -= kept.length;
      }
    },
  };
}
