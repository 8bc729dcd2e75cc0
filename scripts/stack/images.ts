// The images the stack runs on, made on this machine: no container registry is reachable, so the
// base images are a Debian bookworm root filesystem from debootstrap and stand-ins built from it
// (see images/*.Dockerfile). Everything is cached in ~/.cache/isp-stack and in podman's storage, each
// image labelled with a hash of what it was built from, so a second run rebuilds nothing.
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  rmSync,
  renameSync,
  statSync,
} from 'node:fs';
import { join } from 'node:path';
import { which } from '../test/run-command';
import { CACHE, capture, IMAGES_DIR, ODOO_SOURCE, ROOT, ROOTFS_TARBALL, run, type Engine } from './engine';

const INPUTS_LABEL = 'isp.stack.inputs';
const DEBIAN_MIRROR = 'http://deb.debian.org/debian';
const NICE = ['-n', '10'];

const hashOf = (...parts: (string | Buffer)[]): string => {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest('hex').slice(0, 16);
};
const imageFile = (name: string): Buffer => readFileSync(join(IMAGES_DIR, name));

async function builtFrom(engine: Engine, image: string): Promise<string | undefined> {
  const result = await capture(
    engine.podman,
    ['image', 'inspect', '--format', `{{ index .Labels "${INPUTS_LABEL}" }}`, image],
    { env: engine.env },
  );
  return result.code === 0 ? result.stdout.trim() : undefined;
}

async function build(
  engine: Engine,
  image: string,
  context: string,
  dockerfile: string,
  inputs: string,
): Promise<void> {
  await run(
    'nice',
    [
      ...NICE,
      engine.podman,
      'build',
      '--network=host',
      '--label',
      `${INPUTS_LABEL}=${inputs}`,
      '-f',
      dockerfile,
      '-t',
      image,
      context,
    ],
    { env: engine.env },
  );
}

/** debian:bookworm-slim: a minbase debootstrap of bookworm, made once and kept as a tarball. */
async function debianBase(engine: Engine, log: (line: string) => void): Promise<string> {
  const tarball = ROOTFS_TARBALL;
  if (!existsSync(tarball)) {
    const debootstrap = await which('debootstrap', '/usr/sbin/debootstrap');
    if (debootstrap === undefined)
      throw new Error('debootstrap is needed once (Debian: apt-get install debootstrap)');
    log('debootstrap bookworm (once, cached in ~/.cache/isp-stack)');
    const rootfs = join(CACHE, 'rootfs-build');
    rmSync(rootfs, { recursive: true, force: true });
    mkdirSync(CACHE, { recursive: true });
    await run('nice', [...NICE, debootstrap, '--variant=minbase', 'bookworm', rootfs, DEBIAN_MIRROR]);
    await run('sh', [
      '-c',
      `printf '%s\\n' 'deb ${DEBIAN_MIRROR} bookworm main' 'deb ${DEBIAN_MIRROR} bookworm-updates main' ` +
        `'deb http://deb.debian.org/debian-security bookworm-security main' > "$1/etc/apt/sources.list" && ` +
        `rm -rf "$1"/var/lib/apt/lists/* "$1"/var/cache/apt/archives/*.deb && tar -C "$1" -cf "$2.part" .`,
      'sh',
      rootfs,
      tarball,
    ]);
    renameSync(`${tarball}.part`, tarball);
    rmSync(rootfs, { recursive: true, force: true });
  }
  const image = 'docker.io/library/debian:bookworm-slim';
  const { size, mtimeMs } = statSync(tarball);
  const inputs = hashOf(String(size), String(mtimeMs));
  if ((await builtFrom(engine, image)) !== inputs) {
    log(`import ${image}`);
    await engine.podmanRun([
      'import',
      '--change',
      'CMD ["bash"]',
      '--change',
      `LABEL ${INPUTS_LABEL}=${inputs}`,
      tarball,
      image,
    ]);
  }
  return inputs;
}

/** node:22-bookworm-slim: this machine's Node 22 with npm and corepack from the npm registry. */
async function nodeStandIn(engine: Engine, base: string, log: (line: string) => void): Promise<void> {
  const image = 'docker.io/library/node:22-bookworm-slim';
  const context = join(CACHE, 'node-context');
  const nodeBinary = process.execPath;
  const version = process.version;
  if (!version.startsWith('v22.'))
    throw new Error(`the node stand-in needs Node 22 to run this test, not ${version}`);
  const caBundle = '/etc/ssl/certs/ca-certificates.crt';
  const inputs = hashOf(
    base,
    version,
    imageFile('node.Dockerfile'),
    imageFile('node-entrypoint.sh'),
    existsSync(caBundle) ? readFileSync(caBundle) : '',
  );
  if ((await builtFrom(engine, image)) === inputs) return;
  log(`build ${image} (stand-in: Node ${version})`);
  rmSync(context, { recursive: true, force: true });
  mkdirSync(join(context, 'lib'), { recursive: true });
  copyFileSync(nodeBinary, join(context, 'node'));
  copyFileSync(join(IMAGES_DIR, 'node-entrypoint.sh'), join(context, 'node-entrypoint.sh'));
  if (existsSync(caBundle)) copyFileSync(caBundle, join(context, 'host-ca-certificates.crt'));
  else await run('touch', [join(context, 'host-ca-certificates.crt')]);
  for (const pkg of ['corepack', 'npm']) {
    const tgz =
      (await run('npm', ['pack', pkg, '--silent'], { cwd: context })).trim().split('\n').pop() ?? '';
    mkdirSync(join(context, 'lib', pkg));
    await run('tar', ['-xzf', tgz, '-C', join(context, 'lib', pkg), '--strip-components=1'], {
      cwd: context,
    });
    rmSync(join(context, tgz));
  }
  await build(engine, image, context, join(IMAGES_DIR, 'node.Dockerfile'), inputs);
}

/** postgres:17 — Debian's PostgreSQL behind the official image's entrypoint (images/postgres.Dockerfile). */
async function postgresStandIn(engine: Engine, base: string, log: (line: string) => void): Promise<void> {
  const image = 'docker.io/library/postgres:17';
  const inputs = hashOf(base, imageFile('postgres.Dockerfile'), imageFile('postgres-entrypoint.sh'));
  if ((await builtFrom(engine, image)) === inputs) return;
  log(`build ${image} (stand-in: Debian's PostgreSQL 15)`);
  await build(engine, image, IMAGES_DIR, join(IMAGES_DIR, 'postgres.Dockerfile'), inputs);
}

/** odoo:19 — the Odoo 19 source of ODOO_HOME (default /opt/odoo19) on Debian's Python packages. */
async function odooStandIn(engine: Engine, base: string, log: (line: string) => void): Promise<void> {
  const image = 'docker.io/library/odoo:19';
  const release = join(ODOO_SOURCE, 'odoo/release.py');
  if (!existsSync(release)) throw new Error(`no Odoo 19 source in ${ODOO_SOURCE} (set ODOO_HOME)`);
  const packages = readFileSync(join(ROOT, 'scripts/ci/odoo-debian-packages.txt'));
  const files = ['odoo.Dockerfile', 'odoo-entrypoint.sh', 'odoo.conf', 'wait-for-psql.py'];
  // The source tree is identified by its release file and the listing of its addons.
  const inputs = hashOf(
    base,
    packages,
    readFileSync(release),
    readdirSync(join(ODOO_SOURCE, 'addons')).join(','),
    ...files.map(imageFile),
  );
  if ((await builtFrom(engine, image)) === inputs) return;
  log(`build ${image} (stand-in: Odoo 19 from ${ODOO_SOURCE})`);
  const context = join(CACHE, 'odoo-context');
  const source = join(context, 'odoo-src/odoo');
  mkdirSync(source, { recursive: true });
  // The Debian package's layout: Odoo's own addons merged into odoo/addons.
  await run('rsync', ['-a', '--delete', '--exclude', '__pycache__', `${ODOO_SOURCE}/odoo/`, `${source}/`]);
  await run('rsync', ['-a', '--exclude', '__pycache__', `${ODOO_SOURCE}/addons/`, `${source}/addons/`]);
  for (const file of files) copyFileSync(join(IMAGES_DIR, file), join(context, file));
  copyFileSync(join(ROOT, 'scripts/ci/odoo-debian-packages.txt'), join(context, 'odoo-debian-packages.txt'));
  await build(engine, image, context, join(context, 'odoo.Dockerfile'), inputs);
}

/** The project's own image, built from compose/sidecar.Dockerfile as `docker compose build` would. */
async function sidecarImage(engine: Engine, dir: string, log: (line: string) => void): Promise<void> {
  log('build isp-sidecars:local (compose/sidecar.Dockerfile)');
  await run(
    'nice',
    [
      ...NICE,
      engine.podman,
      'build',
      '--network=host',
      '-f',
      'compose/sidecar.Dockerfile',
      '-t',
      'isp-sidecars:local',
      '.',
    ],
    { env: engine.env, cwd: dir },
  );
  const size = Number(
    await engine.podmanRun(['image', 'inspect', '--format', '{{.Size}}', 'isp-sidecars:local']),
  );
  log(`isp-sidecars:local is ${(size / 1e6).toFixed(0)} MB`);
  await removeBuildStages(engine);
}

/**
 * Each build leaves its build stage behind as an untagged image of about 500 MB. Its one costly
 * step, the install, starts from a fresh copy of the workspace at every change and keeps its pnpm
 * store in a cache mount, so the image is worth nothing once the build is done.
 */
async function removeBuildStages(engine: Engine): Promise<void> {
  const ids = await engine.podmanRun([
    'images',
    '--quiet',
    '--filter',
    'dangling=true',
    '--filter',
    'label=isp.build-stage=sidecars',
  ]);
  const stages = [...new Set(ids.split('\n').filter((id) => id !== ''))];
  if (stages.length > 0) await engine.podmanRun(['rmi', ...stages]);
}

/** The base images' stand-ins, then the sidecar image from the repository in `dir`. */
export async function prepareImages(engine: Engine, dir: string, log: (line: string) => void): Promise<void> {
  const base = await debianBase(engine, log);
  await nodeStandIn(engine, base, log);
  await postgresStandIn(engine, base, log);
  await odooStandIn(engine, base, log);
  await sidecarImage(engine, dir, log);
}
