import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { loadCorpus } from '../src/corpus.js';
import { SUITE_IDS } from '../src/kit.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

it("the README's corpus example is a case of the corpus, to the byte", () => {
  const example = JSON.parse(/```json\n([\s\S]*?)```/.exec(readme)![1]!) as { id: string };
  expect(loadCorpus().find((testCase) => testCase.id === example.id)).toEqual(example);
});

it("the README's suite table names every suite, in order", () => {
  const keys = [...readme.matchAll(/^\| `([a-z-]+)` \|/gm)].map((match) => match[1]);
  expect(keys).toEqual([...SUITE_IDS]);
});
