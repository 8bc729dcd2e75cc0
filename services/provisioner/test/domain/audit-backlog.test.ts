import { describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../src/adapters/provisioner-odoo';
import { createAuditBacklog } from '../../src/domain/audit-backlog';

const row = (jobId: number, action = 'activate_subscription'): AuditEntry => ({
  action,
  recordModel: 'isp.subscription',
  recordId: jobId * 10,
  deviceId: 1,
  jobId,
  before: {},
  after: {},
  result: 'success',
});

describe(createAuditBacklog.name, () => {
  it('hands each job’s kept rows to the first pass that asks, once', () => {
    const backlog = createAuditBacklog();
    backlog.keep([row(1), row(2), row(1, 'change_plan')]);
    expect(backlog.take([1, 3]).map((r) => [r.jobId, r.action])).toEqual([
      [1, 'activate_subscription'],
      [1, 'change_plan'],
    ]);
    expect(backlog.take([1])).toEqual([]);
    expect(backlog.take([2])).toHaveLength(1);
  });

  it('keeps at most maxEntries rows, dropping the jobs kept longest', () => {
    const backlog = createAuditBacklog(2);
    backlog.keep([row(1)]);
    backlog.keep([row(2)]);
    backlog.keep([row(3)]);
    expect(backlog.take([1, 2, 3]).map((r) => r.jobId)).toEqual([2, 3]);
  });

  it('ignores rows of no job', () => {
    const backlog = createAuditBacklog();
    const { jobId: _jobId, ...jobless } = row(1);
    backlog.keep([jobless]);
    expect(backlog.take([1])).toEqual([]);
  });
});
