import packageJson from '../package.json' with { type: 'json' };

/** The running @narwhal/core's version. */
export const VERSION: string = packageJson.version;

/**
 * The documentation, by URL: an npm install has no apps/docs, so `--help` and messages point at
 * the repository that package.json names.
 */
export const DOCS_URL = `${packageJson.repository.url.replace(/^git\+/, '').replace(/\.git$/, '')}/blob/main/apps/docs`;
