import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
const mods = process.argv.slice(2);
for (const m of mods) m === 'Response' ? globalThis.Response : m.startsWith('./') ? await import(m) : require(m);
setTimeout(() => { gc(); console.log(mods.join('+').padEnd(60), (process.memoryUsage().rss / 2 ** 20).toFixed(1)); }, 400);
