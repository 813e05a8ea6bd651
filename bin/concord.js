#!/usr/bin/env node
// The admin CLI (`npx concord …`): loads the TypeScript sources through tsx.
import { register } from 'tsx/esm/api';

register();
await import('../server/cli/main.ts');
