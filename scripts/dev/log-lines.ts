import { prettyFactory } from 'pino-pretty';

/**
 * How `pnpm dev` writes its components' lines: on a terminal, pino's JSON lines read as
 * pino-pretty renders them (time, level, message, then the fields); piped, every line stays as
 * the component wrote it, so a log collector still gets JSON.
 */
export function lineFormatter(pretty: boolean): (line: string) => string {
  if (!pretty) return (line) => line;
  const render = prettyFactory({
    colorize: true,
    translateTime: 'SYS:HH:MM:ss',
    ignore: 'pid,hostname,name',
    singleLine: true,
  });
  return (line) => {
    if (!line.startsWith('{')) return line;
    try {
      return render(JSON.parse(line) as object).replace(/\n$/, '');
    } catch {
      return line;
    }
  };
}
