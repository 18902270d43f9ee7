// Writes apps/docs/settings.md, errors.md and migrating-from-gunicorn.md from the built schema, the error registry and the Gunicorn parity table.
import { writeFileSync } from 'node:fs';
import { renderErrorsDoc, renderMigratingDoc, renderSettingsDoc } from '../dist/render-docs.js';

const docs = new URL('../../../apps/docs/', import.meta.url);
writeFileSync(new URL('settings.md', docs), renderSettingsDoc());
writeFileSync(new URL('errors.md', docs), renderErrorsDoc());
writeFileSync(new URL('migrating-from-gunicorn.md', docs), renderMigratingDoc());
