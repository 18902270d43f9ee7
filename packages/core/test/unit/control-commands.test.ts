// The control commands' parsing, and the signal each one queues (the arbiter's own handlers do
// the work; control-socket.test.ts proves that end to end). And the wire framing, split and joined
// as a stream delivers it.

import { describe, expect, it } from 'vitest';
import { encodeFrame, FrameReader, MAX_FRAME_BYTES } from '../../src/arbiter/control-protocol.js';
import { runControlCommand, type ControlledArbiter, type ControlSignal } from '../../src/arbiter/control-commands.js';
import type { Logger } from '../../src/log/create-logger.js';

const silent = { info: () => {} } as unknown as Logger;

function fakeArbiter(): { server: ControlledArbiter; signals: ControlSignal[]; killed: number[] } {
  const signals: ControlSignal[] = [];
  const killed: number[] = [];
  let target = 2;
  const server: ControlledArbiter = {
    signal: async (name, times = 1) => {
      for (let sent = 0; sent < times; sent++) {
        signals.push(name);
        if (name === 'SIGTTIN') target++;
        if (name === 'SIGTTOU' && target > 1) target--;
      }
    },
    killWorker: (pid) => {
      killed.push(pid);
      return pid === 42;
    },
    workers: async () => [],
    stats: () => ({ pid: 1, phase: 'running', uptime: 0, workers: target, target, spawned: target, reloads: 0 }),
    config: () => ({}) as never,
    listeners: () => ['http://127.0.0.1:8000'],
  };
  return { server, signals, killed };
}

describe('control commands', () => {
  it.each([
    ['worker add', ['SIGTTIN']],
    ['worker add 3', ['SIGTTIN', 'SIGTTIN', 'SIGTTIN']],
    ['  worker   remove 2 ', ['SIGTTOU', 'SIGTTOU']],
    ['reload', ['SIGHUP']],
    ['reopen', ['SIGUSR1']],
    ['shutdown', ['SIGTERM']],
    ['shutdown graceful', ['SIGTERM']],
    ['shutdown quick', ['SIGINT']],
  ] as const)('%s queues %j', async (command, expected) => {
    const { server, signals } = fakeArbiter();
    await runControlCommand(command, server, silent);
    await Promise.resolve();
    expect(signals).toEqual(expected);
  });

  it('says how many workers are wanted, never fewer than 1', async () => {
    const { server } = fakeArbiter();
    expect(await runControlCommand('worker remove 5', server, silent)).toEqual({ message: 'Workers: 1 wanted (never fewer than 1)', target: 1 });
  });

  it('kills only a worker it has', async () => {
    const { server, killed } = fakeArbiter();
    expect(await runControlCommand('worker kill 42', server, silent)).toMatchObject({ pid: 42 });
    await expect(runControlCommand('worker kill 7', server, silent)).rejects.toThrow('no worker with pid 7');
    expect(killed).toEqual([42, 7]);
  });

  it.each(['', 'bogus', 'show everything', 'show workers now', 'worker', 'worker add two', 'worker add 0', 'worker add 1001', 'worker kill', 'reload now', 'shutdown later'])(
    'refuses %j with NARWHAL_E_CONTROL_COMMAND and queues nothing',
    async (command) => {
      const { server, signals } = fakeArbiter();
      await expect(runControlCommand(command, server, silent)).rejects.toMatchObject({ code: 'NARWHAL_E_CONTROL_COMMAND' });
      expect(signals).toEqual([]);
    },
  );

  it('takes `show` alone as `show all`', async () => {
    expect(Object.keys((await runControlCommand('show', fakeArbiter().server, silent)) as object)).toEqual(['stats', 'workers', 'listeners', 'config']);
  });
});

describe('control framing', () => {
  it('reads frames split across chunks and several in one chunk', () => {
    const bytes = Buffer.concat([encodeFrame({ id: 1, command: 'show workers' }), encodeFrame({ id: 2, command: 'reload' })]);
    const reader = new FrameReader();
    const messages = [...reader.push(bytes.subarray(0, 3)), ...reader.push(bytes.subarray(3, 20)), ...reader.push(bytes.subarray(20))];
    expect(messages).toEqual([
      { id: 1, command: 'show workers' },
      { id: 2, command: 'reload' },
    ]);
  });

  it('refuses a frame over the limit before reading it', () => {
    const header = Buffer.alloc(4);
    header.writeUInt32BE(MAX_FRAME_BYTES + 1);
    expect(() => new FrameReader().push(header)).toThrow(/over the/);
  });
});
