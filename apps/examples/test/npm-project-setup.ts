// Vitest global setup: builds the npm project once (test/npm-project.ts) and tells the test files
// where it is through the environment, which the test processes inherit. The shared harness then
// runs the `narwhal` that npm installed (NARWHAL_CLI), not the one in this repository.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { examplesProject, packAll } from './npm-project.js';

export default async function setup(): Promise<() => void> {
  const root = mkdtempSync(join(tmpdir(), 'narwhal-first-contact-'));
  const tarballs = await packAll(join(root, 'tarballs'));
  const project = join(root, 'project');
  await examplesProject(project, tarballs);
  process.env.NARWHAL_FIRST_CONTACT = root;
  process.env.NARWHAL_TARBALLS = JSON.stringify(Object.fromEntries(tarballs));
  process.env.NARWHAL_CLI = join(project, 'node_modules/@narwhal/core/bin/narwhal.js');
  return () => rmSync(root, { recursive: true, force: true });
}
