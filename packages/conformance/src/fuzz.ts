// Design: the fuzz step's inputs, pure and deterministic: the same seed and corpus always give
// the same requests, so a failure in CI replays locally with NARWHAL_FUZZ_SEED. Half are corpus
// cases bent by one to three mutations that aim at a parser's edges (bytes flipped, inserted or
// deleted, lines duplicated or dropped, CRLF turned to LF, truncation, random fields, huge
// numbers); half are random bytes, some behind a plausible method so they reach further.

import type { Prng } from './prng.js';

/** One mutation's name and what it does to a request's bytes. */
type Mutation = readonly [name: string, apply: (bytes: Buffer, prng: Prng) => Buffer];

const CRLF = Buffer.from('\r\n');
const TOKEN_CHARS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_!#$%&\'*+.^`|~';
const METHODS = ['GET', 'POST', 'PUT', 'HEAD', 'OPTIONS', 'DELETE', 'CONNECT', 'TRACE', 'PATCH'];
const HUGE_NUMBERS = ['99999999999999999999', '18446744073709551616', '4294967296', '-1', '0x10', '1e9', 'ffffffffffffffffffff'];
/** What a random field value is drawn from: printable ASCII, with a few bytes parsers must refuse. */
const VALUE_EXTRAS = ['\t', '\r', '\n', '\0', '\x7f', '\xff', ' '];

function splitLines(bytes: Buffer): Buffer[] {
  const lines: Buffer[] = [];
  let start = 0;
  for (let at = bytes.indexOf(CRLF); at >= 0; at = bytes.indexOf(CRLF, start)) {
    lines.push(bytes.subarray(start, at + 2));
    start = at + 2;
  }
  if (start < bytes.length) lines.push(bytes.subarray(start));
  return lines;
}

function randomText(prng: Prng, alphabet: string, min: number, max: number): string {
  let text = '';
  for (let length = prng.between(min, max); text.length < length; ) text += alphabet[prng.below(alphabet.length)];
  return text;
}

function randomValue(prng: Prng): string {
  let text = '';
  for (let length = prng.between(0, 40); text.length < length; ) text += prng.chance(0.05) ? prng.pick(VALUE_EXTRAS) : String.fromCharCode(prng.between(0x20, 0x7e));
  return text;
}

const MUTATIONS: readonly Mutation[] = [
  ['flip', (bytes, prng) => {
    const out = Buffer.from(bytes);
    if (out.length > 0) {
      const at = prng.below(out.length);
      out[at] = out[at]! ^ (1 << prng.below(8));
    }
    return out;
  }],
  ['insert', (bytes, prng) => {
    const at = prng.below(bytes.length + 1);
    return Buffer.concat([bytes.subarray(0, at), prng.bytes(prng.between(1, 8)), bytes.subarray(at)]);
  }],
  ['delete', (bytes, prng) => {
    const at = prng.below(bytes.length + 1);
    return Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + prng.between(1, 16))]);
  }],
  ['duplicate-line', (bytes, prng) => {
    const lines = splitLines(bytes);
    const at = prng.below(lines.length);
    lines.splice(at, 0, lines[at] ?? Buffer.alloc(0));
    return Buffer.concat(lines);
  }],
  ['drop-line', (bytes, prng) => {
    const lines = splitLines(bytes);
    lines.splice(prng.below(lines.length), 1);
    return Buffer.concat(lines);
  }],
  ['crlf-to-lf', (bytes, prng) => {
    const text = bytes.toString('latin1');
    if (prng.chance(0.5)) return Buffer.from(text.replaceAll('\r\n', '\n'), 'latin1');
    const crlfs = [...text.matchAll(/\r\n/g)].map((match) => match.index);
    if (crlfs.length === 0) return bytes;
    const at = prng.pick(crlfs);
    return Buffer.from(`${text.slice(0, at)}\n${text.slice(at + 2)}`, 'latin1');
  }],
  ['truncate', (bytes, prng) => bytes.subarray(0, prng.below(bytes.length + 1))],
  ['random-field', (bytes, prng) => {
    const lines = splitLines(bytes);
    const name = prng.chance(0.8) ? randomText(prng, TOKEN_CHARS, 1, 24) : randomValue(prng);
    lines.splice(Math.min(lines.length, 1 + prng.below(Math.max(1, lines.length - 1))), 0, Buffer.from(`${name}: ${randomValue(prng)}\r\n`, 'latin1'));
    return Buffer.concat(lines);
  }],
  ['huge-number', (bytes, prng) => {
    const text = bytes.toString('latin1');
    const numbers = [...text.matchAll(/\d+|(?<=\r\n)[0-9a-fA-F]+(?=\r\n)/g)];
    if (numbers.length === 0) return Buffer.from(`${text.slice(0, -2)}Content-Length: ${prng.pick(HUGE_NUMBERS)}\r\n\r\n`, 'latin1');
    const match = prng.pick(numbers);
    return Buffer.from(`${text.slice(0, match.index)}${prng.pick(HUGE_NUMBERS)}${text.slice(match.index + match[0].length)}`, 'latin1');
  }],
];

export interface FuzzInput {
  /** `random` or the corpus case id and the mutations applied, for the report of a failure. */
  readonly label: string;
  readonly bytes: Buffer;
}

/** The `index`-th input: even ones mutate a corpus request, odd ones are random bytes. */
export function fuzzInput(prng: Prng, corpus: readonly { readonly id: string; readonly bytes: Buffer }[], index: number): FuzzInput {
  if (index % 2 === 0 && corpus.length > 0) {
    const source = prng.pick(corpus);
    let bytes = source.bytes;
    const applied: string[] = [];
    for (let count = prng.between(1, 3); count > 0; count--) {
      const [name, apply] = prng.pick(MUTATIONS);
      bytes = apply(bytes, prng);
      applied.push(name);
    }
    return { label: `${source.id} + ${applied.join(', ')}`, bytes };
  }
  const random = prng.bytes(prng.between(1, 512));
  const bytes = prng.chance(0.5) ? Buffer.concat([Buffer.from(`${prng.pick(METHODS)} /`, 'latin1'), random]) : random;
  return { label: 'random bytes', bytes };
}
