// Design: the one request-head validation (RFC 9112 §2-7, RFC 9110 §5, §7.2, §9), run by every
// worker class before the app or a pool thread sees a request, so that the same bytes get the
// same answer whichever class serves them. An engine's own parser decides part of it before any
// JavaScript runs (llhttp in node:http rejects bad field syntax and framing); what it guarantees
// is declared in EngineChecks, and everything else is checked here, on the strings the engine
// produced, in one pass over the fields that allocates nothing.
// apps/docs/http-conformance.md lists every rule and its status; the conformance kit's corpus
// (@narwhal/conformance) proves each one on every class.

import { METHODS } from 'node:http';
import type { RequestLimits } from './limits.js';
import type { HttpErrorCode } from './status-table.js';

/** What an engine's parser enforced before handing over the head; the rest is checked here. */
export interface EngineChecks {
  /** The method is one of Node's `http.METHODS`. */
  readonly knownMethod: boolean;
  /** Field names are tokens. */
  readonly fieldNames: boolean;
  /**
   * Field values hold no control character but HTAB; `except-del`: none below 0x20, but DEL
   * (0x7F) may pass.
   */
  readonly fieldValues: boolean | 'except-del';
  /**
   * Content-Length is one field of digits; Transfer-Encoding is one field ending in `chunked`;
   * never both.
   */
  readonly framing: boolean;
}

/** llhttp, in node:http's strict mode (the sync, gthread and async classes). */
export const LLHTTP_CHECKS: EngineChecks = { knownMethod: true, fieldNames: true, fieldValues: true, framing: true };

/** A parser that guarantees none of it: every rule is checked here. */
export const NO_ENGINE_CHECKS: EngineChecks = { knownMethod: false, fieldNames: false, fieldValues: false, framing: false };

const KNOWN_METHODS = new Set(METHODS);
// RFC 9110 §5.6.2.
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
// RFC 9110 §5.5: VCHAR, SP, HTAB and obs-text; any other control character is refused.
const BAD_FIELD_VALUE = /[\x00-\x08\x0a-\x1f\x7f]/;
// RFC 9112 §3.2.1 origin-form: printable ASCII; no fragment.
const ORIGIN_FORM = /^\/[\x21\x22\x24-\x7e]*$/;
// RFC 9112 §3.2.2 absolute-form, http and https only: scheme, authority, then a path or query.
const ABSOLUTE_FORM = /^(https?):\/\/([^/?#]*)(?:[/?][\x21\x22\x24-\x7e]*)?$/i;
// RFC 3986 §3.2.2-3.2.3: IP-literal, or IPv4 / reg-name (unreserved, pct-encoded, sub-delims), then an optional port.
const AUTHORITY = /^(?:\[(?:[0-9A-Fa-f:.]+|v[0-9A-Fa-f]+\.[!$&'()*+,;=:\-.\w~]+)\]|(?:[\w\-.~!$&'()*+,;=]|%[0-9A-Fa-f]{2})*)(?::\d*)?$/;
// RFC 3986 authority-form for CONNECT: a host and a port, both present.
const CONNECT_AUTHORITY = /^(?:\[[0-9A-Fa-f:.]+\]|(?:[\w\-.~!$&'()*+,;=]|%[0-9A-Fa-f]{2})+):\d+$/;
const DIGITS = /^\d+$/;
const REQUEST_LINE_OVERHEAD = ' '.length + ' HTTP/1.1'.length;

/** `name` equals the lower-case `lower`, ignoring ASCII case, without allocating. */
function isField(name: string, lower: string): boolean {
  if (name === lower) return true;
  for (let index = 0; index < lower.length; index++) {
    if ((name.charCodeAt(index) | 0x20) !== lower.charCodeAt(index)) return false;
  }
  return true;
}

/**
 * The error a request head earns, or undefined when it may be served (positional, so that the
 * hot path builds no object).
 * @param target the request-target as sent
 * @param rawHeaders name, value, name, value…
 */
export function checkRequestHead(limits: RequestLimits, engine: EngineChecks, method: string, target: string, versionMajor: number, versionMinor: number, rawHeaders: readonly string[]): HttpErrorCode | undefined {
  if (method.length + target.length + REQUEST_LINE_OVERHEAD > limits.requestLine) return 'requestLineTooLong';
  const version = versionVerdict(versionMajor, versionMinor);
  if (version !== undefined) return version;
  if (!engine.knownMethod && !KNOWN_METHODS.has(method)) {
    if (!TOKEN.test(method)) return 'badRequest';
    if (!limits.anyTokenMethod) return 'notImplemented';
  }
  // Narwhal is an origin server and does not tunnel.
  if (method === 'CONNECT') return CONNECT_AUTHORITY.test(target) ? 'notImplemented' : 'badRequest';
  let authority: string | undefined;
  if (target.charCodeAt(0) === 0x2f) {
    if (!ORIGIN_FORM.test(target)) return 'badRequest';
  } else if (target === '*') {
    if (method !== 'OPTIONS') return 'badRequest';
  } else {
    authority = absoluteAuthority(target);
    if (authority === undefined) return 'badRequest';
  }

  if (rawHeaders.length > limits.fields * 2) return 'tooManyHeaders';
  // A field line as a client writes it, `name: value`: the colon and one space.
  const maxField = limits.fieldSize - 2;
  let hosts = 0;
  let host: string | undefined;
  let lengths = 0;
  let length: string | undefined;
  let codingFields = 0;
  let codings: string | undefined;
  for (let index = 0; index < rawHeaders.length; index += 2) {
    const name = rawHeaders[index]!;
    const value = rawHeaders[index + 1]!;
    if (name.length + value.length > maxField) return 'headerFieldTooLarge';
    if (!engine.fieldNames && !TOKEN.test(name)) return 'badRequest';
    if (engine.fieldValues !== true && (engine.fieldValues === false ? BAD_FIELD_VALUE.test(value) : value.includes('\x7f'))) return 'badRequest';
    switch (name.length) {
      case 4:
        if (isField(name, 'host')) {
          hosts++;
          host = value;
        }
        break;
      case 14:
        if (isField(name, 'content-length')) {
          lengths++;
          length = value;
        }
        break;
      case 17:
        if (isField(name, 'transfer-encoding')) {
          codingFields++;
          codings = value;
        }
        break;
    }
  }

  // RFC 9112 §3.2: exactly one Host on HTTP/1.1, at most one on 1.0, and a valid authority.
  if (hosts > 1 || (hosts === 0 && versionMinor === 1)) return 'badRequest';
  if (host !== undefined && !AUTHORITY.test(host)) return 'badRequest';
  if (authority !== undefined && host !== undefined && normalAuthority(host, target) !== normalAuthority(authority, target)) return 'badRequest';

  if (!engine.framing) {
    if (lengths > 1 || codingFields > 1 || (lengths === 1 && codingFields === 1)) return 'badRequest';
    if (length !== undefined && (!DIGITS.test(length) || !Number.isSafeInteger(Number(length)))) return 'badRequest';
  }
  if (codings !== undefined) {
    // RFC 9112 §6.1: Transfer-Encoding on HTTP/1.0 means the framing is faulty.
    if (versionMinor === 0) return 'badRequest';
    return transferCodingVerdict(codings);
  }
  return undefined;
}

/** HTTP/1.0 and 1.1 are served; another well-formed version is 505; HTTP/0.9 (no version at all) is 400. */
function versionVerdict(major: number, minor: number): HttpErrorCode | undefined {
  if (major === 1 && (minor === 0 || minor === 1)) return undefined;
  return major === 0 && minor === 9 ? 'badRequest' : 'versionNotSupported';
}

/** The authority of an absolute-form target (without userinfo), or undefined when it is not one. */
function absoluteAuthority(target: string): string | undefined {
  const match = ABSOLUTE_FORM.exec(target);
  if (match === null) return undefined;
  const authority = match[2]!;
  if (!AUTHORITY.test(authority) || authority.charCodeAt(0) === 0x3a || authority === '') return undefined;
  return authority;
}

/** An authority compared case-insensitively, with the scheme's default port or an empty port dropped. */
function normalAuthority(authority: string, target: string): string {
  const lower = authority.toLowerCase();
  const defaultPort = target.charCodeAt(4) === 0x73 || target.charCodeAt(4) === 0x53 ? ':443' : ':80';
  if (lower.endsWith(defaultPort)) return lower.slice(0, -defaultPort.length);
  return lower.endsWith(':') ? lower.slice(0, -1) : lower;
}

/**
 * RFC 9112 §6.1 and §7: the transfer codings must end in chunked, the only one Narwhal decodes,
 * applied once; a list with another coding before chunked is understood but not implemented.
 */
export function transferCodingVerdict(field: string): HttpErrorCode | undefined {
  if (isField(field, 'chunked') && field.length === 7) return undefined;
  let chunked = 0;
  let others = 0;
  let last = '';
  for (const element of field.split(',')) {
    const coding = element.trim();
    if (coding === '') continue;
    if (!TOKEN.test(coding.split(';')[0]!.trim())) return 'badRequest';
    last = coding.toLowerCase();
    if (last === 'chunked') chunked++;
    else others++;
  }
  if (last !== 'chunked' || chunked !== 1) return 'badRequest';
  return others > 0 ? 'notImplemented' : undefined;
}

/**
 * RFC 9110 §10.1.1: the one expectation defined is `100-continue`, without parameters, in any
 * case; 417 for any other. undefined: serve (with a 100 Continue when `value` asks for one).
 */
export function expectationVerdict(value: string): HttpErrorCode | undefined {
  const trimmed = value.trim();
  return trimmed.length === 12 && isField(trimmed, '100-continue') ? undefined : 'expectationFailed';
}

/**
 * The value of field `lower` (a lower-case name) in a head that passed checkRequestHead, which
 * lets through at most one of each field asked for here (Transfer-Encoding: the body is chunked
 * then; Upgrade).
 */
export function rawFieldOf(rawHeaders: readonly string[], lower: string): string | undefined {
  for (let index = 0; index < rawHeaders.length; index += 2) {
    const name = rawHeaders[index]!;
    if (name.length === lower.length && isField(name, lower)) return rawHeaders[index + 1];
  }
  return undefined;
}

// RFC 9110 §6.5.1: fields that frame, route, authenticate or modify a request, or describe its
// content, must be known before the content is read; a trailer cannot carry them.
const FORBIDDEN_TRAILERS = new Set([
  'content-length',
  'transfer-encoding',
  'host',
  'te',
  'trailer',
  'content-type',
  'content-encoding',
  'content-range',
  'authorization',
  'proxy-authorization',
  'cookie',
  'expect',
  'range',
  'max-forwards',
  'connection',
  'keep-alive',
  'upgrade',
]);

/** True when a trailer section (name, value… in its first `length` entries) carries a field no trailer may carry. */
export function hasForbiddenTrailer(fields: readonly string[], length: number): boolean {
  for (let index = 0; index < length; index += 2) if (FORBIDDEN_TRAILERS.has(fields[index]!.toLowerCase())) return true;
  return false;
}
