// Design: Gunicorn's statsd line formats (instrument/statsd.py), byte for byte where Gunicorn
// sends the same thing: `PREFIXname:value|g`, `|c|@1.0` for counters, `|ms` for timers, `|h` for
// histograms, then `|#tags` when --dogstatsd-tags is set. A timer sampled by the worker carries
// its rate (`|ms|@0.25`), which statsd servers use to scale its count.

import type { StatsdSender } from './statsd-sender.js';

export class StatsdLines {
  readonly #sender: StatsdSender;
  readonly #prefix: string;
  readonly #tags: string;

  constructor(sender: StatsdSender, prefix: string, tags: string) {
    this.#sender = sender;
    // Gunicorn's own rule, including its quirk that a one-character prefix gets no dot.
    this.#prefix = prefix.replace(/^(.+[^.]+)\.*$/, '$1.');
    this.#tags = tags === '' ? '' : `|#${tags}`;
  }

  gauge(name: string, value: number): void {
    this.#add(`${name}:${value}|g`);
  }

  increment(name: string, value: number): void {
    this.#add(`${name}:${value}|c|@1.0`);
  }

  timer(name: string, ms: number, rate: number): void {
    this.#add(`${name}:${Math.round(ms * 1000) / 1000}|ms${rate < 1 ? `|@${Number(rate.toPrecision(6))}` : ''}`);
  }

  histogram(name: string, value: number): void {
    this.#add(`${name}:${value}|h`);
  }

  flush(): void {
    this.#sender.flush();
  }

  #add(body: string): void {
    this.#sender.add(`${this.#prefix}${body}${this.#tags}`);
  }
}
