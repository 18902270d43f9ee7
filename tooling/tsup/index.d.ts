import type { Options } from 'tsup';

export function defineLibrary(options: { entry: Record<string, string> | string[]; external?: string[] }): Options | Options[];
