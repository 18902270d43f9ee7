#!/usr/bin/env node
import { pauseOptimisingCompiler } from './worker/optimising-compiler.js';

// The arbiter runs without the optimising compiler (optimising-compiler.ts says why); set before the CLI's modules load.
pauseOptimisingCompiler();
const { main } = await import('./cli/main.js');
const code = await main(process.argv.slice(2), process.env, process.cwd());
process.exit(code);
