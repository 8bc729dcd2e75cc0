import { cpSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';

/**
 * The browser libraries the Odoo addons serve from their static folders, copied there from
 * node_modules (the npm registry is their only source): build output, never committed.
 */
export const ISP_CORE_LIB_DIR = resolve(import.meta.dirname, '../../odoo-addons/isp_core/static/lib');

interface VendoredPath {
  readonly pkg: string;
  /** Inside the package. */
  readonly from: string;
  /** Inside the target lib folder. */
  readonly to: string;
}

export const VENDORED_PATHS: readonly VendoredPath[] = [
  { pkg: 'leaflet', from: 'dist/leaflet.js', to: 'leaflet/leaflet.js' },
  { pkg: 'leaflet', from: 'dist/leaflet.css', to: 'leaflet/leaflet.css' },
  { pkg: 'leaflet', from: 'dist/images', to: 'leaflet/images' },
  { pkg: 'leaflet', from: 'LICENSE', to: 'leaflet/LICENSE' },
  { pkg: 'supercluster', from: 'dist/supercluster.min.js', to: 'supercluster/supercluster.min.js' },
  { pkg: 'supercluster', from: 'LICENSE', to: 'supercluster/LICENSE' },
];

const require = createRequire(import.meta.url);

/** A package's folder, found the way Node looks for it (some packages do not export package.json). */
function packageDir(pkg: string): string {
  for (const dir of require.resolve.paths(pkg) ?? []) {
    if (existsSync(join(dir, pkg, 'package.json'))) return join(dir, pkg);
  }
  throw new Error(`${pkg} is not installed: run pnpm install`);
}

/** Replaces `libDir` with fresh copies of the vendored files; returns the paths written. */
export function vendorStaticLibs(libDir: string = ISP_CORE_LIB_DIR): string[] {
  rmSync(libDir, { recursive: true, force: true });
  return VENDORED_PATHS.map(({ pkg, from, to }) => {
    const target = join(libDir, to);
    mkdirSync(dirname(target), { recursive: true });
    cpSync(join(packageDir(pkg), from), target, { recursive: true });
    return target;
  });
}
