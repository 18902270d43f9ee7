import { HOOK_KEYS } from '../config/settings.js';
import type { PlainSettings, Settings } from '../config/types.js';

/** The settings without the hooks: what travels to workers. */
export function plainSettings(settings: Settings): PlainSettings {
  const plain: Record<string, unknown> = { ...settings };
  for (const key of HOOK_KEYS) delete plain[key];
  return plain as unknown as PlainSettings;
}
