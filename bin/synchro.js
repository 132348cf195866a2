#!/usr/bin/env node
// The `synchro` command. Runs the TypeScript sources through tsx so that a fresh clone needs
// nothing but `npm install` (no build step to forget).
import { register } from 'tsx/esm/api';

register();
await import('../client/cli/main.ts');
