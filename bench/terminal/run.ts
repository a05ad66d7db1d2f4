// bench/terminal: keystroke echo (p50/p99 over 1,000 keys) and output throughput through the
// real lab server, beside a bare node-pty in this process (the floor), printed as ratios.
//   node --import tsx bench/terminal/run.ts [--keys 1000] [--quick]
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { barePty, labServer, type Transport } from './transports.ts';
import { echoLatency, prepare, throughput } from './measure.ts';

const argv = process.argv.slice(2);
const keysArg = argv.indexOf('--keys');
const keys = keysArg >= 0 ? Number(argv[keysArg + 1]) : 1000;
const quick = argv.includes('--quick');
if (!Number.isInteger(keys) || keys < 10) {
  console.error('bench/terminal: --keys must be an integer of at least 10');
  process.exit(2);
}
const commands = quick
  ? ['head -c 5000000 /dev/zero | base64', 'seq 1 500000']
  : ['head -c 20000000 /dev/zero | base64', 'seq 1 3000000'];

interface Row {
  name: string;
  echo: Awaited<ReturnType<typeof echoLatency>>;
  tput: Array<Awaited<ReturnType<typeof throughput>>>;
}

async function measure(make: () => Transport | Promise<Transport>): Promise<Row> {
  const t = await make();
  const say = (what: string) => process.stderr.write(`  ${t.name}: ${what}\n`);
  try {
    await prepare(t);
    say(`echo x ${keys}`);
    const echo = await echoLatency(t, keys);
    const tput = [];
    for (const c of commands) {
      say(c);
      tput.push(await throughput(t, c));
    }
    return { name: t.name, echo, tput };
  } finally {
    await t.close();
  }
}

const f = (n: number, d = 3) => n.toFixed(d);
// floor first, then the server, then the floor again: the machine's load drifts, so the floor
// is the better of two runs bracketing the measurement
const floorA = await measure(barePty);
const lab = await measure(labServer);
const floorB = await measure(barePty);
const floor: Row = {
  name: floorA.name,
  echo: floorA.echo.p50 <= floorB.echo.p50 ? floorA.echo : floorB.echo,
  tput: floorA.tput.map((a, i) => (a.mbPerS >= floorB.tput[i]!.mbPerS ? a : floorB.tput[i]!)),
};

const lines = [
  `bench/terminal: ${keys} keys, node ${process.version}`,
  '',
  `${'metric'.padEnd(44)}${'lab server'.padStart(12)}${'floor'.padStart(12)}${'ratio'.padStart(10)}`,
  row('echo p50 (ms)', lab.echo.p50, floor.echo.p50),
  row('echo p99 (ms)', lab.echo.p99, floor.echo.p99),
  row('echo mean (ms)', lab.echo.mean, floor.echo.mean),
  ...commands.map((c, i) => row(`MB/s: ${c} (${f(lab.tput[i]!.mb, 1)} MB)`, lab.tput[i]!.mbPerS, floor.tput[i]!.mbPerS, 2)),
  '',
  'ratio = lab / floor. Targets (issue 2): echo p99 < 10 ms; throughput ratio >= 0.5.',
];
function row(label: string, a: number, b: number, d = 3): string {
  return `${label.padEnd(44)}${f(a, d).padStart(12)}${f(b, d).padStart(12)}${f(a / b, 2).padStart(10)}`;
}
console.log(lines.join('\n'));

const out = fileURLToPath(new URL('../results/', import.meta.url));
mkdirSync(out, { recursive: true });
writeFileSync(`${out}terminal.json`, JSON.stringify({ when: new Date().toISOString(), keys, commands, lab, floor }, null, 2) + '\n');
// node-pty's read streams of the closed floor shells can keep the loop alive; the figures are out
process.exit(0);
