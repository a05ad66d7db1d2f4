// Runs the kind or minikube provider as the learner would (`sandbox up --provider kind`), with the
// fake docker/kind/minikube of test/support/fake-tools first on PATH, handing out the kubeconfig of
// an embedded cluster started with --profile kind|minikube: the provider's real preparation and
// the chapter run against an API that starts as those clusters do.
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { ROOT, tempDir } from '../sandbox/sandbox-process.ts';

export const FAKE_TOOLS = join(ROOT, 'test', 'support', 'fake-tools');
export const CLI_PATH = join(ROOT, 'bin', 'coredns-lab.js');

export interface FakeCall {
  tool: string;
  argv: string[];
  kubeconfig?: string;
}

export class FakeTools {
  readonly dir = tempDir('fake-tools');
  readonly log = join(this.dir, 'calls.jsonl');
  readonly state = join(this.dir, 'clusters');

  constructor() {
    mkdirSync(this.state, { recursive: true });
  }

  /** the environment a child process needs to meet the fakes; `path` replaces PATH's tail (default: the current PATH) */
  env(clusterKubeconfig: string, extra: Record<string, string> = {}, path = process.env.PATH ?? ''): Record<string, string> {
    return { PATH: `${FAKE_TOOLS}${delimiter}${path}`, FAKE_TOOLS_LOG: this.log, FAKE_TOOLS_STATE: this.state, FAKE_CLUSTER_KUBECONFIG: clusterKubeconfig, ...extra };
  }

  calls(): FakeCall[] {
    try {
      return readFileSync(this.log, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as FakeCall);
    } catch {
      return [];
    }
  }

  /** "tool argv..." per call, for asserting a command sequence */
  commands(): string[] {
    return this.calls().map((c) => [c.tool, ...c.argv].join(' '));
  }

  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
