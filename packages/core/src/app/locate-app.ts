// Finding the app's module file without running it: the arbiter checks APP this way at start-up
// and on HUP, and must not load the app (or the HTTP machinery loading it pulls in) to do so.

import { NarwhalError } from '../errors.js';
import { parseAppSpec, type AppSpec } from './app-spec.js';
import { resolveModule } from './resolve-module.js';

/** A parsed APP and the file its module resolves to. */
export interface LocatedApp {
  readonly spec: AppSpec;
  /** The absolute path of the module file. */
  readonly file: string;
}

/** Parses APP and finds its module file, without running it. */
export async function locateApp(text: string, fromDir: string): Promise<LocatedApp> {
  const spec = parseAppSpec(text);
  const file = await resolveModule(spec.module, fromDir);
  if (file === null) throw new NarwhalError('NARWHAL_E_APP_NOT_FOUND', `app module '${spec.module}' not found in ${fromDir}`);
  return { spec, file };
}
