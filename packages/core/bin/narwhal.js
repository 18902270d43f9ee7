#!/usr/bin/env node
// The narwhal command. A committed stub, so that package managers can link the bin before dist/ is built.
import '../dist/cli.js';
