#!/usr/bin/env node
// Runs the TypeScript CLI in this process through tsx's module loader, so the SDK needs no build step.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
