#!/usr/bin/env node
import { setFlagsFromString } from 'node:v8';

// The arbiter runs no hot path (workers serve; it only supervises), yet V8 would optimise the few
// functions that module resolution calls often at start-up, and its optimising compiler touches
// about 3.5 MiB of its own machine code to do so: that much more RSS for the arbiter's lifetime.
// Set before the CLI's modules load; workers are spawned with their own flags.
setFlagsFromString('--no-opt');
const { main } = await import('./cli/main.js');
const code = await main(process.argv.slice(2), process.env, process.cwd());
process.exit(code);
