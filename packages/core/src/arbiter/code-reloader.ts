// Design: `--reload` (development). Workers report the files their app loaded (worker/
// module-graph.ts); the arbiter watches those and `--reload-extra-file`, and on a change replaces
// every worker the way HUP does: readiness-gated, so a file saved with a syntax error leaves the
// old workers serving and the reload's failure is one line in the log; the next save tries again.
// Engines: `inotify` is fs.watch on each file's directory (so an editor that saves by renaming a
// new file over the old one is still seen), `poll` stats each file every second (network and
// container file systems where inotify stays silent), `auto` is fs.watch, and polling for a
// directory fs.watch cannot watch.

import { watch, watchFile, unwatchFile, type FSWatcher } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import type { Logger } from '../log/create-logger.js';

export type ReloadEngine = 'auto' | 'poll' | 'inotify';

/** Saves arrive as several events (truncate, write, rename): one reload for them all. */
const SETTLE_MS = 150;
const POLL_INTERVAL_MS = 1000;

export class CodeReloader {
  readonly #engine: ReloadEngine;
  readonly #onChange: (file: string) => void;
  readonly #log: Logger;
  /** Watched files, by directory, for the fs.watch engine. */
  readonly #byDirectory = new Map<string, Set<string>>();
  readonly #watchers: FSWatcher[] = [];
  readonly #polled = new Set<string>();
  #changed: string | undefined;
  #timer: NodeJS.Timeout | undefined;

  constructor(engine: ReloadEngine, onChange: (file: string) => void, log: Logger) {
    this.#engine = engine;
    this.#onChange = onChange;
    this.#log = log;
  }

  /** Watches these files too (absolute, or relative to `cwd`). */
  watch(files: readonly string[], cwd: string): void {
    for (const file of files.map((name) => resolve(cwd, name))) {
      if (this.#engine === 'poll') this.#poll(file);
      else this.#watchInDirectory(file);
    }
  }

  close(): void {
    clearTimeout(this.#timer);
    for (const watcher of this.#watchers.splice(0)) watcher.close();
    for (const file of this.#polled) unwatchFile(file);
    this.#polled.clear();
  }

  #watchInDirectory(file: string): void {
    const directory = dirname(file);
    let names = this.#byDirectory.get(directory);
    if (names === undefined) {
      try {
        const watcher = watch(directory, { persistent: false }, (_event, name) => {
          if (name !== null && names!.has(name.toString())) this.#noteChange(`${directory}/${name.toString()}`);
        });
        watcher.on('error', (error) => this.#log.warning(`--reload: stopped watching ${directory} (${error.message})`));
        this.#watchers.push(watcher);
      } catch (error) {
        if (this.#engine === 'inotify') {
          this.#log.warning(`--reload: cannot watch ${directory} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); its files are not watched`);
          return;
        }
        this.#poll(file);
        return;
      }
      names = new Set();
      this.#byDirectory.set(directory, names);
    }
    names.add(basename(file));
  }

  #poll(file: string): void {
    if (this.#polled.has(file)) return;
    this.#polled.add(file);
    watchFile(file, { persistent: false, interval: POLL_INTERVAL_MS }, (current, previous) => {
      if (current.mtimeMs !== previous.mtimeMs || current.ino !== previous.ino) this.#noteChange(file);
    });
  }

  #noteChange(file: string): void {
    this.#changed ??= file;
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      const changed = this.#changed!;
      this.#changed = undefined;
      this.#onChange(changed);
    }, SETTLE_MS);
  }
}
