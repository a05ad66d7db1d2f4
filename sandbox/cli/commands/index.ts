// The command list, in the order `coredns-lab --help` shows it.
import type { Command } from '../command.ts';
import { serve } from './serve.ts';
import { sandbox } from './sandbox.ts';
import { dnsServer } from './dns-server.ts';
import { check } from './check.ts';
import { solve } from './solve.ts';
import { doctor } from './doctor.ts';
import { workshop } from './workshop.ts';

export const commands: Command[] = [serve, sandbox, workshop, dnsServer, check, solve, doctor];
