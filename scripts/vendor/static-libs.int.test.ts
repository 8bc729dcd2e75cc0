import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { VENDORED_PATHS, vendorStaticLibs } from './static-libs';

describe(vendorStaticLibs.name, () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('copies Leaflet (script, style, images) and supercluster into the lib folder', () => {
    dir = mkdtempSync(join(tmpdir(), 'isp-vendor-'));
    const written = vendorStaticLibs(dir);
    expect(written).toHaveLength(VENDORED_PATHS.length);
    for (const path of written) expect(existsSync(path), path).toBe(true);
    expect(readFileSync(join(dir, 'leaflet/leaflet.js'), 'utf8')).toContain('Leaflet');
    expect(existsSync(join(dir, 'leaflet/images/layers.png'))).toBe(true);
    expect(readFileSync(join(dir, 'supercluster/supercluster.min.js'), 'utf8')).toContain('Supercluster');
  });

  it('drops files a previous version left behind', () => {
    dir = mkdtempSync(join(tmpdir(), 'isp-vendor-'));
    mkdirSync(join(dir, 'leaflet'));
    writeFileSync(join(dir, 'leaflet/old.js'), '');
    vendorStaticLibs(dir);
    expect(existsSync(join(dir, 'leaflet/old.js'))).toBe(false);
  });
});
