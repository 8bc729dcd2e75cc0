// The sidecar image's build step: each service bundled with esbuild into one JavaScript file of
// dist/, its dependencies inside, so the image runs plain `node dist/<name>.mjs` — no tsx, no
// node_modules, no package manager at run time (compose/sidecar.Dockerfile).
import { resolve } from 'node:path';
import { build, type BuildOptions } from 'esbuild';

const ROOT = resolve(import.meta.dirname, '../..');

/** dist/<name>.mjs ← its TypeScript entry point. */
export const SIDECAR_ENTRIES: Readonly<Record<string, string>> = {
  gateway: 'services/gateway/src/main.ts',
  provisioner: 'services/provisioner/src/main.ts',
  lab: 'scripts/lab/main.ts',
  // The lab spawns the simulator as a process of its own, from beside itself in dist/.
  'routeros-sim': 'tools/routeros-sim/src/main.ts',
};

/**
 * Node 22 ES modules with their CommonJS dependencies inside (pg, pino, fastify…): those call
 * `require`, which an ES module gets from createRequire. `pg-native` is pg's optional native
 * binding, never installed nor loaded.
 */
export const NODE_BUNDLE: BuildOptions = {
  bundle: true,
  platform: 'node',
  target: 'node22',
  format: 'esm',
  external: ['pg-native'],
  banner: {
    js: "import { createRequire as __ispCreateRequire } from 'node:module'; const require = __ispCreateRequire(import.meta.url);",
  },
  legalComments: 'none',
  logLevel: 'warning',
};

export async function bundleSidecars(outdir: string): Promise<string[]> {
  const result = await build({
    ...NODE_BUNDLE,
    absWorkingDir: ROOT,
    entryPoints: Object.entries(SIDECAR_ENTRIES).map(([out, entry]) => ({ in: entry, out })),
    outdir,
    outExtension: { '.js': '.mjs' },
    metafile: true,
  });
  return Object.keys(result.metafile.outputs);
}

/** Bundles a script (TypeScript, importing the workspace by path) into one module's source. */
export async function bundleScript(source: string): Promise<string> {
  const result = await build({
    ...NODE_BUNDLE,
    stdin: { contents: source, loader: 'ts', resolveDir: ROOT, sourcefile: 'script.ts' },
    write: false,
  });
  const [output] = result.outputFiles;
  if (output === undefined) throw new Error('esbuild wrote nothing');
  return output.text;
}

if (process.argv[1] === import.meta.filename) {
  const outdir = resolve(process.argv[2] ?? 'dist');
  bundleSidecars(outdir).then(
    (files) => {
      process.stdout.write(`bundled: ${files.join(', ')}\n`);
    },
    (err: unknown) => {
      process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    },
  );
}
