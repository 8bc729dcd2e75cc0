import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { inspect } from 'node:util';
import type { Browser } from './browser';

export interface StepOutcome {
  readonly flow: string;
  readonly step: string;
  readonly status: 'passed' | 'failed' | 'skipped';
  readonly seconds: number;
  readonly error?: string;
}

/** File-name safe: lower case words joined by dashes. */
export function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80);
}

/**
 * Runs a flow's steps in order, each leaving a screenshot named after it in the artifacts folder;
 * a failing step also leaves the page's HTML and the browser console. A flow's steps build on each
 * other: after a failure the rest of the flow is reported skipped.
 */
export class StepRunner {
  readonly outcomes: StepOutcome[] = [];
  private counter = 0;

  constructor(
    private readonly artifacts: string,
    private readonly log: (line: string) => void,
  ) {
    mkdirSync(artifacts, { recursive: true });
  }

  flow(name: string, browser: Browser): Flow {
    return new Flow(name, browser, this);
  }

  /** @internal */
  async run(flow: Flow, step: string, body: () => Promise<void>): Promise<void> {
    if (flow.broken) {
      this.outcomes.push({ flow: flow.name, step, status: 'skipped', seconds: 0 });
      this.log(`  - ${step} (skipped: an earlier step failed)`);
      return;
    }
    this.counter += 1;
    const base = join(
      this.artifacts,
      `${String(this.counter).padStart(2, '0')}-${slug(flow.name)}-${slug(step)}`,
    );
    const started = performance.now();
    let error: unknown;
    try {
      await body();
    } catch (err) {
      error = err;
    }
    const seconds = (performance.now() - started) / 1000;
    await this.keep(`${base}.png`, () => flow.browser.screenshot(), 'base64');
    if (error === undefined) {
      this.outcomes.push({ flow: flow.name, step, status: 'passed', seconds });
      this.log(`  ✓ ${step} (${seconds.toFixed(1)} s)`);
      return;
    }
    flow.broken = true;
    const message = error instanceof Error ? (error.stack ?? error.message) : inspect(error);
    await this.keep(`${base}.html`, () => flow.browser.html(), 'utf8');
    await this.keep(`${base}.console.log`, async () => (await flow.browser.consoleLog()).join('\n'), 'utf8');
    writeFileSync(`${base}.error.txt`, message);
    this.outcomes.push({
      flow: flow.name,
      step,
      status: 'failed',
      seconds,
      error: message.split('\n')[0] ?? '',
    });
    this.log(
      `  ✗ ${step} (${seconds.toFixed(1)} s): ${message.split('\n')[0] ?? ''}\n    artifacts: ${base}.*`,
    );
  }

  private async keep(file: string, read: () => Promise<string>, encoding: 'base64' | 'utf8'): Promise<void> {
    try {
      writeFileSync(file, await read(), encoding);
    } catch (err) {
      this.log(`    (could not save ${file}: ${err instanceof Error ? err.message : String(err)})`);
    }
  }
}

export class Flow {
  broken = false;

  constructor(
    readonly name: string,
    readonly browser: Browser,
    private readonly runner: StepRunner,
  ) {}

  step(name: string, body: () => Promise<void>): Promise<void> {
    return this.runner.run(this, name, body);
  }
}
