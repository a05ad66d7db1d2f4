// `coredns-lab doctor`: what this machine can run. The tools the providers drive (installed? which
// version? does the Docker daemon answer?), which providers can run and which one `serve` picks,
// what a workshop needs (bubblewrap, user namespaces, cgroups), and the commands that install
// what is missing. Exit 0 when serve's default provider can run here.
import { parseArgs, UsageError, type OptionSpec } from '../args.ts';
import type { Command } from '../command.ts';
import type { Detection, ProviderName, ToolReport } from '../../providers/types.ts';
import type { ContextReport } from '../../providers/detect.ts';
import type { WorkshopHost } from '../../workshop/host-probe.ts';
import { serve } from './serve.ts';

const OPTIONS: OptionSpec[] = [{ name: 'json', type: 'boolean', description: 'the whole report as JSON' }];

export interface DoctorReport {
  tools: ToolReport[];
  providers: Detection[];
  /** the provider `serve` starts without --provider, and whether it can run here */
  serve: { provider: ProviderName; canRun: boolean };
  existing: ContextReport;
  workshop: WorkshopHost;
  /** what to run (or read) to get the rest, one line each */
  fixes: { what: string; how: string }[];
}

function serveDefault(): ProviderName {
  return serve.options.find((o) => o.name === 'provider')?.default as ProviderName;
}

async function gather(): Promise<DoctorReport> {
  const { inspectTools, detectProviders, inspectContext } = await import('../../providers/detect.ts');
  const { installHint } = await import('../../providers/install.ts');
  const { probeWorkshopHost } = await import('../../workshop/host-probe.ts');
  const tools = await inspectTools();
  const providers = detectProviders(tools);
  const existing = await inspectContext(tools.find((t) => t.name === 'kubectl'));
  const workshop = probeWorkshopHost();
  const fixes: DoctorReport['fixes'] = [];
  for (const t of tools) {
    if (!t.path) fixes.push({ what: t.name, how: installHint(t.name) });
    else if (t.daemon && !t.daemon.up)
      fixes.push({ what: 'docker daemon', how: 'sudo systemctl start docker (Docker Desktop: open it and wait for "Engine running"); check with "docker info"' });
  }
  if (!workshop.bubblewrap.installed) fixes.push({ what: 'bubblewrap', how: installHint('bubblewrap') });
  const def = serveDefault();
  return {
    tools,
    providers,
    serve: { provider: def, canRun: providers.some((p) => p.provider === def && p.canRun) },
    existing,
    workshop,
    fixes,
  };
}

/** left-aligned columns, two spaces apart, the last one free */
function columns(rows: string[][], indent = '  '): string[] {
  const widths = rows.reduce<number[]>((w, r) => r.map((c, i) => Math.max(w[i] ?? 0, c.length)), []);
  return rows.map((r) => (indent + r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ')).trimEnd());
}

function yesNo(p: { ok: boolean; why?: string }): string {
  return p.ok ? 'yes' : `no: ${p.why}`;
}

export function renderDoctor(r: DoctorReport): string {
  const out: string[] = ['tools'];
  out.push(
    ...columns(
      r.tools.map((t) => {
        if (!t.path) return [t.name, 'not installed'];
        const daemon = t.daemon ? (t.daemon.up ? `daemon up (${t.daemon.message})` : `daemon not answering: ${t.daemon.message}`) : '';
        return [t.name, t.version ?? 'version unknown', t.path, daemon];
      }),
    ),
  );
  out.push('providers');
  out.push(
    ...columns(
      r.providers.map((p) => {
        const note = p.provider === 'existing' && p.canRun && r.existing.current ? `current context ${r.existing.current}: ${r.existing.verdict}` : '';
        return [p.provider, p.canRun ? 'can run' : 'cannot run', p.canRun ? `starts in ${p.startsIn}` : (p.why ?? ''), note];
      }),
    ),
  );
  const w = r.workshop;
  out.push('workshops');
  out.push(
    ...columns([
      ['bubblewrap', w.bubblewrap.installed ? (w.bubblewrap.version ?? 'version unknown') : 'not installed'],
      ['user namespaces', yesNo(w.userNamespaces)],
      ['shell sandbox', yesNo(w.shellSandbox)],
      ['cgroups', `${w.cgroups.hierarchy}; seat limits ${yesNo(w.cgroups.limits)}; idle seats sleep: ${w.cgroups.freezer ? 'yes' : 'no (no freezer)'}`],
    ]),
  );
  out.push('');
  out.push(
    `serve uses ${r.serve.provider} (its default; --provider picks another): ${r.serve.canRun ? 'it can run here' : 'it cannot run here'}`,
  );
  if (r.fixes.length) {
    out.push('', 'to get the rest');
    out.push(...columns(r.fixes.map((f) => [f.what, f.how])));
  }
  return out.join('\n') + '\n';
}

export const doctor: Command = {
  name: 'doctor',
  summary: 'say which providers and tools are usable here, and how to get the rest',
  usage: 'coredns-lab doctor [--json]',
  description: [
    'say which providers and tools are usable here, and how to get the rest',
    '',
    'Reports docker, kind, minikube and kubectl (version, and whether the Docker daemon answers),',
    'which providers can run and which one serve picks, and what workshops need (bubblewrap,',
    'user namespaces, cgroups). Exit 0 when serve\'s default provider can run, 1 when it cannot.',
  ].join('\n'),
  options: OPTIONS,
  async run(argv) {
    const { options, positionals } = parseArgs(argv, OPTIONS, 'doctor');
    if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}" for "doctor"`);
    const report = await gather();
    process.stdout.write(options.json ? JSON.stringify(report, null, 2) + '\n' : renderDoctor(report));
    return report.serve.canRun ? 0 : 1;
  },
};
