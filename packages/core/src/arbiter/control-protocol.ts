// Design: the control socket's wire format, Gunicorn 26's gunicornc framing: each message is a
// 4-byte big-endian length, then that many bytes of JSON. The client sends `{ id, command }`
// (the command's words joined by spaces, `worker add 2`), the server answers `{ id, status: 'ok',
// data }` or `{ id, status: 'error', error, code }`. Shared by the arbiter's server and the CLI's
// client, so the two cannot drift apart.

import type { ErrorCode } from '../errors.js';

/** A frame longer than this is a broken or hostile peer: the connection is closed. */
export const MAX_FRAME_BYTES = 1024 * 1024;

export interface ControlRequest {
  readonly id: number;
  readonly command: string;
}

export type ControlResponse =
  | { readonly id: number; readonly status: 'ok'; readonly data: unknown }
  | { readonly id: number; readonly status: 'error'; readonly error: string; readonly code: ErrorCode };

export function encodeFrame(message: ControlRequest | ControlResponse): Buffer {
  const body = Buffer.from(JSON.stringify(message));
  const frame = Buffer.allocUnsafe(4 + body.length);
  frame.writeUInt32BE(body.length, 0);
  body.copy(frame, 4);
  return frame;
}

/** Collects a stream's chunks into whole frames; throws on a frame too long or not JSON. */
export class FrameReader {
  #pending: Buffer = Buffer.alloc(0);

  /** The messages completed by `chunk`, parsed. */
  push(chunk: Buffer): unknown[] {
    this.#pending = this.#pending.length === 0 ? chunk : Buffer.concat([this.#pending, chunk]);
    const messages: unknown[] = [];
    while (this.#pending.length >= 4) {
      const length = this.#pending.readUInt32BE(0);
      if (length > MAX_FRAME_BYTES) throw new Error(`a control frame of ${length} bytes is over the ${MAX_FRAME_BYTES}-byte limit`);
      if (this.#pending.length < 4 + length) break;
      messages.push(JSON.parse(this.#pending.subarray(4, 4 + length).toString('utf8')));
      this.#pending = this.#pending.subarray(4 + length);
    }
    return messages;
  }
}
