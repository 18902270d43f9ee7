import packageJson from '../package.json' with { type: 'json' };

/** The running @narwhal/core's version. */
export const VERSION: string = packageJson.version;
