import { describe, expect, it } from 'vitest';
import { slug } from '../src/steps';
import { summarize } from '../src/summary';

describe('slug', () => {
  it('names an artifact after its step', () => {
    expect(slug("The lab router lets the customer through at the plan's speed")).toBe(
      'the-lab-router-lets-the-customer-through-at-the-plan-s-speed',
    );
    expect(slug('  --Odd:  name!! ')).toBe('odd-name');
  });
});

describe('summarize', () => {
  it('counts steps and the flows that passed whole', () => {
    const { counts, line } = summarize({
      seconds: 174.4,
      outcomes: [
        { flow: 'admin', step: 'a', status: 'passed', seconds: 1 },
        { flow: 'admin', step: 'b', status: 'passed', seconds: 1 },
        { flow: 'portal', step: 'c', status: 'failed', seconds: 1, error: 'boom' },
        { flow: 'portal', step: 'd', status: 'skipped', seconds: 0 },
      ],
    });
    expect(counts).toEqual({ passed: 2, failed: 1, skipped: 1 });
    expect(line).toBe('browser end-to-end: 2 steps passed, 1 failed, 1 skipped; 1/2 flows whole; 174 s');
  });
});
