// Design: the grammar of a request line's bytes, RFC 9112 §3: method SP request-target SP
// HTTP-version CRLF, with exactly one SP between the parts. llhttp splits a line on runs of
// spaces (which the RFC allows a recipient to do, but which uWebSockets.js and most proxies
// refuse), and when it rejects a line it says only "invalid method" or "invalid version". This
// reader gives both cases one answer on every class: the node:http classes run it on the first
// bytes of each connection, and on the packet llhttp rejected to tell a 501 or 505 from a 400.

import type { HttpErrorCode } from './status-table.js';

const SP = 0x20;
const CR = 0x0d;
const LF = 0x0a;

/** RFC 9110 §5.6.2 tchar, by byte. */
const TCHAR = new Uint8Array(128);
for (const char of "!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz") TCHAR[char.charCodeAt(0)] = 1;

const isDigit = (byte: number | undefined): boolean => byte !== undefined && byte >= 0x30 && byte <= 0x39;

/** What the bytes of a request line say. */
export type RequestLineVerdict =
  /** Well formed with a served version; the method and target are checked once parsed. */
  | 'ok'
  /** The line does not end within the bytes looked at: nothing can be said yet. */
  | 'incomplete'
  | HttpErrorCode;

/**
 * Reads the request line at the start of `bytes`. A line longer than `maxLength` is 414 as soon
 * as that is certain, so a long line is never scanned to the end of a large packet.
 */
export function readRequestLine(bytes: Uint8Array, maxLength: number): RequestLineVerdict {
  let index = 0;
  // RFC 9112 §2.2: empty lines before a request line are ignored.
  while (bytes[index] === CR && bytes[index + 1] === LF) index += 2;
  const start = index;
  // The line and its CRLF: a line that does not end by here is too long.
  const limit = start + maxLength + 2;
  const end = bytes.length < limit ? bytes.length : limit;
  const outOfBytes = (): RequestLineVerdict => (end === limit ? 'requestLineTooLong' : 'incomplete');
  while (index < end && TCHAR[bytes[index]!] === 1) index++;
  if (index === end) return outOfBytes();
  if (index === start || bytes[index] !== SP) return 'badRequest';
  const targetStart = ++index;
  // The target's characters are checked once parsed; here it only must not hold a space or a line end.
  while (index < end && bytes[index]! > SP && bytes[index] !== 0x7f) index++;
  if (index === end) return outOfBytes();
  if (index === targetStart || bytes[index] !== SP) return 'badRequest';
  index++;
  if (index + 10 > end) {
    // Fewer bytes than `HTTP/1.1` CRLF remain: the line ended too early, is too long, or is still arriving.
    for (let rest = index; rest < end; rest++) {
      if (bytes[rest] === CR || bytes[rest] === LF) return rest - start > maxLength ? 'requestLineTooLong' : 'badRequest';
    }
    return outOfBytes();
  }
  // "HTTP/" DIGIT "." DIGIT CRLF
  if (bytes[index] !== 0x48 || bytes[index + 1] !== 0x54 || bytes[index + 2] !== 0x54 || bytes[index + 3] !== 0x50 || bytes[index + 4] !== 0x2f) return 'badRequest';
  const major = bytes[index + 5];
  const minor = bytes[index + 7];
  if (!isDigit(major) || bytes[index + 6] !== 0x2e || !isDigit(minor) || bytes[index + 8] !== CR || bytes[index + 9] !== LF) return 'badRequest';
  if (major !== 0x31 || (minor !== 0x30 && minor !== 0x31)) return major === 0x30 && minor === 0x39 ? 'badRequest' : 'versionNotSupported';
  return 'ok';
}
