// A keep-alive load for zero-failure tests: `connections` loops send GET after GET over an
// agent that reuses its connections, recording every failure, until stopped.

import { Agent, request as httpRequest } from 'node:http';

export interface Answer {
  readonly status: number;
  readonly body: string;
}

export interface SendOptions {
  readonly localAddress?: string;
  readonly headers?: Record<string, string>;
  readonly agent?: Agent;
  readonly path?: string;
}

export function send(port: number, options: SendOptions = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path: options.path ?? '/', localAddress: options.localAddress, headers: { host: 'shop.example', ...options.headers }, agent: options.agent ?? false, timeout: 10_000 }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode!, body }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    req.end();
  });
}

export interface Load {
  /** Bodies of the successful responses so far, in order. */
  readonly bodies: string[];
  readonly failures: string[];
  /** Stops the loops and resolves once every request in flight is over. */
  stop(): Promise<void>;
}

export function keepAliveLoad(port: number, options: Omit<SendOptions, 'agent'> = {}, connections = 8): Load {
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const bodies: string[] = [];
  const failures: string[] = [];
  let running = true;
  const loop = async (): Promise<void> => {
    while (running) {
      try {
        const answer = await send(port, { ...options, agent });
        if (answer.status === 200) bodies.push(answer.body);
        else failures.push(`${answer.status} ${answer.body.slice(0, 80)}`);
      } catch (error) {
        failures.push(String(error));
      }
    }
  };
  const loops = Array.from({ length: connections }, loop);
  return {
    bodies,
    failures,
    stop: async () => {
      running = false;
      await Promise.all(loops);
      agent.destroy();
    },
  };
}
