#!/usr/bin/env node
// The `parley` command as installed (package.json "bin"): runs the TypeScript CLI through tsx, found from
// this file rather than the working directory, so that it works wherever the operator calls it.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/parley.ts');
