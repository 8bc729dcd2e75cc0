/** Progress lines on stderr, at most a few per second, the last one always. */
export interface Progress {
  tick(text: string, final?: boolean): void;
  line(text: string): void;
}

export function stderrProgress(stream: NodeJS.WritableStream = process.stderr, intervalMs = 250): Progress {
  let last = 0;
  return {
    tick(text, final = false) {
      const now = Date.now();
      if (!final && now - last < intervalMs) return;
      last = now;
      stream.write(`${text}\n`);
    },
    line(text) {
      stream.write(`${text}\n`);
    },
  };
}

export const silentProgress: Progress = { tick: () => undefined, line: () => undefined };

/** A plain text table: columns padded to their widest cell. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const render = (cells: readonly string[]): string =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [render(header), ...rows.map(render)].join('\n');
}
