import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Where a signed `/certificate` item keeps its PEM certificate and key: names no property has,
 * so they are never printed and cannot be written through the API.
 */
export const CERTIFICATE_PEM = '.certificate-pem';
export const PRIVATE_KEY_PEM = '.private-key-pem';

/** A signed certificate: its PEM key and certificate, and what `/certificate` prints of it. */
export interface SignedCertificate {
  readonly key: string;
  readonly cert: string;
  /** SHA-256 of the DER, lowercase hex without separators, as RouterOS prints `fingerprint`. */
  readonly fingerprint: string;
  readonly keyType: 'rsa' | 'ec';
  readonly invalidBefore: string;
  readonly invalidAfter: string;
}

export interface SignRequest {
  readonly commonName: string;
  /** RouterOS `key-size`: 1024…8192 (RSA) or prime256v1 / secp384r1 (EC). */
  readonly keySize: string;
  readonly daysValid: number;
  /** RouterOS `subject-alt-name`, e.g. `IP:10.0.0.1,DNS:rtr.example`. */
  readonly subjectAltName?: string;
}

function routerTime(date: Date): string {
  return date.toISOString().slice(0, 19).replace('T', ' ');
}

/**
 * Makes a real self-signed certificate with the system's `openssl` (as `/certificate sign` does
 * on the router), so api-ssl can serve it and a client can pin its fingerprint.
 */
export function signCertificate(request: SignRequest): SignedCertificate {
  const ec = request.keySize === 'prime256v1' || request.keySize === 'secp384r1';
  const dir = mkdtempSync(join(tmpdir(), 'routeros-sim-cert-'));
  try {
    const keyPath = join(dir, 'key.pem');
    const certPath = join(dir, 'cert.pem');
    const subject = `/CN=${request.commonName.replace(/[/\\]/g, (c) => `\\${c}`)}`;
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        ec ? 'ec' : `rsa:${request.keySize}`,
        ...(ec ? ['-pkeyopt', `ec_paramgen_curve:${request.keySize}`] : []),
        '-nodes',
        '-keyout',
        keyPath,
        '-out',
        certPath,
        '-days',
        String(request.daysValid),
        '-subj',
        subject,
        ...(request.subjectAltName === undefined || request.subjectAltName === ''
          ? []
          : ['-addext', `subjectAltName=${request.subjectAltName}`]),
      ],
      { stdio: 'ignore' },
    );
    const cert = readFileSync(certPath, 'utf8');
    const x509 = new X509Certificate(cert);
    return {
      key: readFileSync(keyPath, 'utf8'),
      cert,
      fingerprint: x509.fingerprint256.replace(/:/g, '').toLowerCase(),
      keyType: ec ? 'ec' : 'rsa',
      invalidBefore: routerTime(new Date(x509.validFrom)),
      invalidAfter: routerTime(new Date(x509.validTo)),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
