#!/usr/bin/env node
// Entry point of the `coredns-lab` command. The project runs its TypeScript
// sources directly through tsx, so there is no build step between a change and a run.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../sandbox/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
