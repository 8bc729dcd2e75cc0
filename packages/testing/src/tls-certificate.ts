import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TlsFixture {
  readonly key: string;
  readonly cert: string;
  readonly fingerprint256: string;
}

/** A throwaway self-signed certificate for 127.0.0.1, made with the system's openssl. */
export function makeSelfSignedCertificate(): TlsFixture {
  const dir = mkdtempSync(join(tmpdir(), 'routeros-sim-tls-'));
  try {
    const keyPath = join(dir, 'key.pem');
    const certPath = join(dir, 'cert.pem');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-keyout',
        keyPath,
        '-out',
        certPath,
        '-days',
        '2',
        '-subj',
        '/CN=router',
        '-addext',
        'subjectAltName=IP:127.0.0.1,IP:127.0.3.1,IP:127.0.3.2',
      ],
      { stdio: 'ignore' },
    );
    const fingerprint = execFileSync(
      'openssl',
      ['x509', '-in', certPath, '-noout', '-fingerprint', '-sha256'],
      { encoding: 'utf8' },
    );
    return {
      key: readFileSync(keyPath, 'utf8'),
      cert: readFileSync(certPath, 'utf8'),
      fingerprint256: fingerprint.trim().replace(/^.*=/, ''),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
