// Design: a body streamed over a MessagePort with credit-based back-pressure. The sender posts
// chunks and keeps at most WINDOW of them unacknowledged; the receiver acknowledges a chunk
// (`true`) once its consumer took it, or cancels (`false`) when the consumer is gone. `null`
// ends the body and a string carries an error. The receiver closes the port when it is done.
// Chunks of TRANSFER_MIN bytes or more are transferred rather than copied (reference/
// feasibility.md §4: transfer wins from ~16-32 KB; below, copying is cheaper).

import type { MessagePort } from 'node:worker_threads';

const WINDOW = 4;
const TRANSFER_MIN = 16 * 1024;

/** A message from sender to receiver. */
export type ChunkMessage = Uint8Array | null | string;

/**
 * `bytes` ready to post, and what to transfer with them. Bytes the app may still hold are never
 * transferred, which would empty them under it: a whole buffer is copied by the post itself, and
 * a view into a larger one (a pooled Buffer) is copied out first, since cloning a view copies its
 * whole buffer. Bytes of our own, or that copy, move instead when large.
 */
export function postable(bytes: Uint8Array, ours: boolean): { bytes: Uint8Array; transfer: ArrayBuffer[] } {
  const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer;
  if (whole && !ours) return { bytes, transfer: [] };
  const own = whole ? bytes : bytes.slice();
  return { bytes: own, transfer: own.byteLength >= TRANSFER_MIN ? [own.buffer as ArrayBuffer] : [] };
}

/** Sends every chunk of `chunks` (`ours`: see postable); resolves true when all went out, false when the receiver cancelled. */
export async function sendChunks(port: MessagePort, chunks: AsyncIterable<Uint8Array>, ours: boolean): Promise<boolean> {
  let credits = WINDOW;
  let cancelled = false;
  let wake: (() => void) | undefined;
  const onMessage = (message: boolean): void => {
    if (message) credits++;
    else cancelled = true;
    wake?.();
  };
  const onClose = (): void => {
    cancelled = true;
    wake?.();
  };
  port.on('message', onMessage);
  port.once('close', onClose);
  try {
    for await (const chunk of chunks) {
      while (credits === 0 && !cancelled) await new Promise<void>((resolve) => (wake = resolve));
      if (cancelled) return false;
      credits--;
      const { bytes, transfer } = postable(chunk, ours);
      port.postMessage(bytes, transfer);
    }
    if (!cancelled) port.postMessage(null);
    return !cancelled;
  } catch (error) {
    if (!cancelled) port.postMessage(error instanceof Error ? error.message : String(error));
    throw error;
  } finally {
    port.off('message', onMessage);
    port.off('close', onClose);
    // Nothing more will be sent; do not keep the thread's event loop alive for this port.
    port.unref();
  }
}

/** The chunks arriving on `port` as a ReadableStream, acknowledged as the reader takes them. */
export function receiveChunks(port: MessagePort): ReadableStream<Uint8Array> {
  let owed = 0;
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        port.on('message', (message: ChunkMessage) => {
          if (message instanceof Uint8Array) {
            controller.enqueue(message);
            if ((controller.desiredSize ?? 0) > 0) port.postMessage(true);
            else owed++;
          } else {
            port.close();
            if (message === null) controller.close();
            else controller.error(new Error(message));
          }
        });
      },
      pull() {
        for (; owed > 0; owed--) port.postMessage(true);
      },
      cancel() {
        port.postMessage(false);
        port.close();
      },
    },
    { highWaterMark: 0 },
  );
}
