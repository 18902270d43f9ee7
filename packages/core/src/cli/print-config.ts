// Design: `--print-config` shows every effective setting and where it came from, so that a
// surprising value explains itself (Gunicorn prints values only).

import type { LoadedSettings } from '../config/load-settings.js';
import { SETTINGS, SETTING_KEYS } from '../config/settings.js';

export function renderConfig(loaded: LoadedSettings): string {
  const width = Math.max(...SETTING_KEYS.map((key) => key.length));
  const lines = SETTING_KEYS.map((key) => {
    const value = loaded.settings[key];
    const shown = SETTINGS[key].type === 'hook' ? (loaded.sources[key] === 'default' ? 'no-op' : 'function') : JSON.stringify(value);
    return `${key.padEnd(width)} = ${shown}  # ${loaded.sources[key]}`;
  });
  if (loaded.configFile !== null) lines.unshift(`# config file: ${loaded.configFile}`);
  return `${lines.join('\n')}\n`;
}
