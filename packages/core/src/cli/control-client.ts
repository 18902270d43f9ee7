// Design: the client side of the control socket (arbiter/control-socket.ts): one connection per
// command, one request, one answer. Every way of not reaching a narwhal is a typed error the CLI
// prints in one line: no socket file, a leftover nobody listens on, another user's socket, no
// answer in time.

import { createConnection } from 'node:net';
import { NarwhalError } from '../errors.js';
import { encodeFrame, FrameReader, type ControlResponse } from '../arbiter/control-protocol.js';

const ANSWER_TIMEOUT_MS = 10_000;

/** Sends `command` to the narwhal at `path`; resolves with its answer's data. */
export function sendControlCommand(path: string, command: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const socket = createConnection(path);
    const reader = new FrameReader();
    const fail = (error: NarwhalError): void => {
      socket.destroy();
      reject(error);
    };
    const unreachable = (why: string): NarwhalError => new NarwhalError('NARWHAL_E_CONTROL_UNREACHABLE', `no narwhal at ${path} (${why})`);
    socket.setTimeout(ANSWER_TIMEOUT_MS, () => fail(unreachable(`no answer within ${ANSWER_TIMEOUT_MS / 1000} s`)));
    socket.once('connect', () => socket.write(encodeFrame({ id: 1, command })));
    socket.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EACCES' || error.code === 'EPERM') fail(new NarwhalError('NARWHAL_E_CONTROL_DENIED', `permission denied for ${path} (the control socket admits its owner only; run as the user narwhal runs as)`));
      else if (error.code === 'ENOENT' || error.code === 'ENOTDIR') fail(unreachable('no socket there'));
      else if (error.code === 'ECONNREFUSED') fail(unreachable('nothing listens: a narwhal that stopped left the file'));
      else fail(unreachable(error.code ?? error.message));
    });
    socket.once('close', () => fail(unreachable('it closed the connection without an answer')));
    socket.on('data', (chunk: Buffer) => {
      let response: ControlResponse | undefined;
      try {
        response = reader.push(chunk)[0] as ControlResponse | undefined;
      } catch (error) {
        fail(unreachable(`a malformed answer: ${(error as Error).message}`));
        return;
      }
      if (response === undefined) return;
      socket.removeAllListeners('close');
      socket.end();
      if (response.status === 'ok') resolve(response.data);
      else reject(new NarwhalError(response.code, response.error));
    });
  });
}
