// `coredns-lab serve --provider kind|minikube|existing` as a learner starts it, on this machine
// without Docker: an embedded cluster started with `sandbox up --profile kind|minikube` plays the
// fresh cluster, and the fake docker/kind/minikube of test/support/fake-tools (first on serve's
// PATH) hand out its kubeconfig. For `existing`, the learner's kubeconfig names that cluster
// under a throwaway context name, and serve gets the consent flag.
import { after, before } from 'node:test';
import { copyFileSync, rmSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './browser.ts';
import { join } from 'node:path';
import { FakeTools } from '../../integration/providers/fake-cluster-tools.ts';
import { Kubectl, Sandbox, tempDir } from '../../integration/sandbox/sandbox-process.ts';
import { startLabCommand, type LabProcess } from './lab-process.ts';

export type ProviderUnderTest = 'kind' | 'minikube' | 'existing';

export interface ProviderLab {
  lab: LabProcess;
  cluster: Sandbox & { kubeconfig: string };
  fakes: FakeTools;
  /** the kubeconfig context the lab's kubectl uses */
  context: string;
  stop(): Promise<void>;
}

const PLAYS: Record<ProviderUnderTest, { profile: 'kind' | 'minikube'; context: string }> = {
  kind: { profile: 'kind', context: 'kind-coredns-lab' },
  minikube: { profile: 'minikube', context: 'coredns-lab' },
  // minikube's own default profile, a name the existing provider's guard takes as throwaway
  existing: { profile: 'minikube', context: 'minikube' },
};

export async function startProviderLab(provider: ProviderUnderTest): Promise<ProviderLab> {
  const { profile, context } = PLAYS[provider];
  const clusterDir = tempDir(`e2e-${provider}-cluster`);
  const userDir = tempDir(`e2e-${provider}-user`);
  const fakes = new FakeTools();
  const cleanup = () => {
    fakes.cleanup();
    for (const d of [clusterDir, userDir]) rmSync(d, { recursive: true, force: true });
  };
  let cluster: (Sandbox & { kubeconfig: string }) | undefined;
  try {
    cluster = await Sandbox.up(clusterDir, ['--profile', profile], 120_000);
    const env: Record<string, string> = { ...fakes.env(cluster.kubeconfig), XDG_CONFIG_HOME: userDir };
    const args = ['--provider', provider];
    if (provider === 'existing') {
      const kubeconfig = join(userDir, 'kubeconfig');
      copyFileSync(cluster.kubeconfig, kubeconfig);
      const k = new Kubectl(kubeconfig);
      try {
        await k.ok(['config', 'rename-context', 'coredns-lab', context]);
      } finally {
        k.cleanup();
      }
      env.KUBECONFIG = kubeconfig;
      args.push('--i-understand-this-changes-kube-system');
    }
    const lab = await startLabCommand('serve', args, /^coredns-lab: open (http:\/\/\S+)$/m, 600_000, env);
    const c = cluster;
    return {
      lab,
      cluster: c,
      fakes,
      context,
      async stop() {
        await lab.stop();
        await c.stop();
        cleanup();
      },
    };
  } catch (err) {
    await cluster?.stop();
    cleanup();
    throw err;
  }
}

/** inside a describe: the provider's lab and one chromium page on it, started before and stopped after its tests */
export interface ProviderPage {
  pl: ProviderLab;
  page: Page;
  /** uncaught page errors; a test asserts none */
  problems: string[];
}

export function providerPage(provider: ProviderUnderTest): ProviderPage {
  let browser: Browser | undefined;
  const pp = { problems: [] as string[] } as ProviderPage;
  before(async () => {
    pp.pl = await startProviderLab(provider);
    browser = await launchChromium();
    pp.page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    pp.page.on('pageerror', (e) => pp.problems.push(String(e)));
  });
  after(async () => {
    await browser?.close();
    await pp.pl?.stop();
  });
  return pp;
}
