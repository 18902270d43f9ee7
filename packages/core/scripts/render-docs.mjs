// Writes apps/docs/settings.md and apps/docs/errors.md from the built schema and error registry.
import { writeFileSync } from 'node:fs';
import { renderErrorsDoc, renderSettingsDoc } from '../dist/render-docs.js';

const docs = new URL('../../../apps/docs/', import.meta.url);
writeFileSync(new URL('settings.md', docs), renderSettingsDoc());
writeFileSync(new URL('errors.md', docs), renderErrorsDoc());
