// Design: the SSL settings become node:tls options in one place. The arbiter builds them, and
// secure contexts from them, before any worker starts (and on HUP, and for --check-config), so
// that a bad file stops narwhal in one line naming it; every worker builds them again as it
// boots, from the files as they are then, which is how HUP serves a renewed certificate.

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createRequire } from 'node:module';
import type * as Tls from 'node:tls';
import type { SecureVersion, TlsOptions } from 'node:tls';
import type { Hooks, PlainSettings } from '../config/types.js';
import { NarwhalError } from '../errors.js';
import { minimumTlsVersion } from './ssl-version.js';

/**
 * The options a TLS server is built from: `tls.createServer`'s, as the `sslContext` hook receives
 * and returns them. From the settings: `cert` (--certfile's contents), `key` (--keyfile's, else
 * --certfile's), `ca` (--ca-certs', when given), `ciphers` (when given), `minVersion`
 * (--ssl-version), `requestCert` and `rejectUnauthorized` (--cert-reqs 1 and 2).
 */
export type SecureOptions = TlsOptions & {
  minVersion: SecureVersion;
  requestCert: boolean;
  rejectUnauthorized: boolean;
};

export type TlsSettings = Pick<PlainSettings, 'certfile' | 'keyfile' | 'caCerts' | 'certReqs' | 'sslVersion' | 'ciphers' | 'chdir'>;

/** Settings that mean something only with --certfile, and their flags. */
const NEED_CERTFILE = [
  ['keyfile', '--keyfile'],
  ['caCerts', '--ca-certs'],
] as const;

export function tlsError(message: string): NarwhalError {
  return new NarwhalError('NARWHAL_E_TLS', message);
}

/**
 * The TLS options of `settings` as `hook` adjusts them, proven by building secure contexts from
 * them; null without --certfile. Throws NARWHAL_E_TLS naming the setting and file at fault.
 */
export async function secureOptions(settings: Readonly<TlsSettings>, hook?: Hooks['sslContext']): Promise<SecureOptions | null> {
  if (settings.certfile === null) {
    for (const [key, flag] of NEED_CERTFILE) if (settings[key] !== null) throw tlsError(`${flag} ${settings[key]}: needs --certfile, the certificate to serve`);
    if (settings.certReqs !== 0) throw tlsError(`--cert-reqs ${settings.certReqs}: needs --certfile, the certificate to serve`);
    return null;
  }
  const read: SecureOptions = {
    cert: readPem('--certfile', settings.certfile, settings.chdir),
    key: settings.keyfile === null ? undefined : readPem('--keyfile', settings.keyfile, settings.chdir),
    minVersion: minimumTlsVersion(settings.sslVersion),
    requestCert: settings.certReqs > 0,
    rejectUnauthorized: settings.certReqs === 2,
  };
  read.key ??= read.cert;
  if (settings.caCerts !== null) read.ca = readPem('--ca-certs', settings.caCerts, settings.chdir);
  if (settings.ciphers !== null) read.ciphers = settings.ciphers;
  let options = read;
  if (hook !== undefined) {
    // A copy, so that the pieces the hook replaced, in place or not, can be told from the files.
    const given = { ...read };
    try {
      options = ((await hook(settings as Readonly<PlainSettings>, given)) as SecureOptions | undefined) ?? given;
    } catch (error) {
      throw tlsError(`the sslContext hook failed: ${(error as Error)?.message ?? String(error)}`);
    }
  }
  checkPieces(settings, read, options);
  return options;
}

function readPem(flag: string, file: string, cwd: string): Buffer {
  try {
    return readFileSync(resolve(cwd, file));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'a directory, not a file' : (code ?? (error as Error).message);
    throw tlsError(`${flag} ${file}: cannot be read (${why})`);
  }
}

/**
 * Builds a context from each piece, then from the pair, so that the line names what is wrong:
 * the setting and its file, or the hook when it replaced that piece.
 */
function checkPieces(settings: Readonly<TlsSettings>, read: SecureOptions, options: SecureOptions): void {
  const source = (piece: 'cert' | 'key' | 'ca', flag: string, file: string | null): string => (options[piece] === read[piece] ? `${flag} ${file ?? settings.certfile}` : `the sslContext hook's ${piece}`);
  const certSource = source('cert', '--certfile', settings.certfile);
  const keySource = source('key', settings.keyfile === null ? '--certfile' : '--keyfile', settings.keyfile);
  if (options.ca !== undefined) attempt({ ca: options.ca }, (why) => `${source('ca', '--ca-certs', settings.caCerts)}: not PEM CA certificates (${why})`);
  attempt({ cert: options.cert }, (why) => `${certSource}: not a PEM certificate (${why})`);
  attempt({ key: options.key, passphrase: options.passphrase }, (why) => `${keySource}: not a PEM private key, or encrypted without the right passphrase (${why})`);
  attempt({ cert: options.cert, key: options.key, passphrase: options.passphrase }, (why) => `${keySource} does not match ${certSource} (${why})`);
  if (options.ciphers !== undefined) attempt({ ciphers: options.ciphers }, (why) => `${options.ciphers === read.ciphers ? '--ciphers' : "the sslContext hook's ciphers"} '${options.ciphers}': ${why}`);
  if (options !== read) attempt(options, (why) => `the sslContext hook's options make no secure context: ${why}`);
}

// node:tls and the OpenSSL it starts weigh about 1 MiB: loaded by the arbiter only when there is a certificate to prove.
const requireHere = createRequire(import.meta.url);

function attempt(options: TlsOptions, message: (why: string) => string): void {
  try {
    (requireHere('node:tls') as typeof Tls).createSecureContext(options);
  } catch (error) {
    throw tlsError(message(openSslReason(error)));
  }
}

/** OpenSSL's reason without its code prefix: `error:0480006C:PEM routines::no start line` → `no start line`. */
function openSslReason(error: unknown): string {
  const message = (error as Error)?.message ?? String(error);
  return message.replace(/^error:[0-9A-Fa-f]+:[^:]*:[^:]*:/, '');
}
