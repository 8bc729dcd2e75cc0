/** The outcome of one step of `pnpm test`. */
export interface StepResult {
  readonly status: 'passed' | 'failed' | 'skipped';
  /** One line for the summary: what ran, or why it was skipped. */
  readonly detail: string;
  /** Test counts, for steps that run tests. */
  readonly tests?: { readonly passed: number; readonly failed: number; readonly skipped: number };
}

export interface Step {
  readonly name: string;
  run(): Promise<StepResult>;
}
