// The failures of the real-cluster providers. Each names what is wrong and the command that
// fixes it; the codes are listed in README.md.
import type { ToolRun } from './tools.ts';

/** how to install each tool, per system (what `doctor` prints too) */
export const INSTALL: Record<'docker' | 'kind' | 'minikube' | 'kubectl', string> = {
  docker: 'https://docs.docker.com/engine/install/ (Debian/Ubuntu: sudo apt-get install docker.io; then sudo usermod -aG docker $USER and log in again)',
  kind: 'go install sigs.k8s.io/kind@v0.27.0, or: curl -Lo ./kind https://kind.sigs.k8s.io/dl/v0.27.0/kind-linux-amd64 && chmod +x ./kind && sudo mv ./kind /usr/local/bin/kind',
  minikube: 'curl -LO https://storage.googleapis.com/minikube/releases/latest/minikube-linux-amd64 && sudo install minikube-linux-amd64 /usr/local/bin/minikube',
  kubectl: 'https://kubernetes.io/docs/tasks/tools/ (Debian/Ubuntu: sudo apt-get install kubectl from pkgs.k8s.io)',
};

export class ToolMissingError extends Error {
  readonly code = 'LAB_ERR_TOOL_MISSING';
  constructor(readonly tool: string) {
    const how = INSTALL[tool as keyof typeof INSTALL];
    super(`${tool} is not on PATH${how ? `. Install it: ${how}` : ''}. "coredns-lab doctor" lists what each provider needs`);
    this.name = 'ToolMissingError';
  }
}

export class DockerDaemonDownError extends Error {
  readonly code = 'LAB_ERR_DOCKER_DAEMON';
  constructor(readonly detail: string) {
    super(
      `docker is installed but its daemon does not answer (${detail}). Start it (Linux: sudo systemctl start docker; ` +
        'Docker Desktop: open it and wait for "Engine running"), check "docker info", or use --provider embedded, which needs no Docker',
    );
    this.name = 'DockerDaemonDownError';
  }
}

export class ToolFailedError extends Error {
  readonly code = 'LAB_ERR_TOOL_FAILED';
  constructor(readonly tool: string, readonly args: string[], readonly run: ToolRun) {
    const said = (run.stderr.trim() || run.stdout.trim()).split('\n').slice(-6).join('\n');
    super(`"${tool} ${args.join(' ')}" failed (exit ${run.code}):\n${said}`);
    this.name = 'ToolFailedError';
  }
}

export class ContextRefusedError extends Error {
  readonly code = 'LAB_ERR_CONTEXT_REFUSED';
  constructor(readonly context: string, allowList: string) {
    super(
      `refusing context "${context}": it does not look like a throwaway cluster (kind-*, minikube, docker-desktop, k3d-*, rancher-desktop), ` +
        `and the lab replaces kube-system's DNS objects. If it is disposable, add a line "${context}" to ${allowList} and run again`,
    );
    this.name = 'ContextRefusedError';
  }
}

export class ConsentMissingError extends Error {
  readonly code = 'LAB_ERR_CONSENT_MISSING';
  constructor(readonly context: string, flag: string) {
    super(
      `--provider existing replaces the DNS objects in kube-system of context "${context}" (CoreDNS becomes the chapter's kube-dns; ` +
        `a backup is kept for "sandbox down --restore"). Use a throwaway cluster, and say so with --${flag}`,
    );
    this.name = 'ConsentMissingError';
  }
}

export class NoContextError extends Error {
  readonly code = 'LAB_ERR_NO_CONTEXT';
  constructor(detail: string) {
    super(`no kubeconfig context to use (${detail}); name one with --context, or select one with "kubectl config use-context <name>"`);
    this.name = 'NoContextError';
  }
}

export class PrepareError extends Error {
  readonly code = 'LAB_ERR_PREPARE';
  constructor(readonly phase: string, detail: string) {
    super(`preparing the chapter's starting state failed while ${phase}: ${detail}`);
    this.name = 'PrepareError';
  }
}

export class NoBackupError extends Error {
  readonly code = 'LAB_ERR_NO_BACKUP';
  constructor(readonly stateDir: string) {
    super(`no backup of the original DNS objects in ${stateDir} (dns-backup.json); nothing to restore. The lab keeps one from the first "sandbox up" of a kind, minikube or existing cluster`);
    this.name = 'NoBackupError';
  }
}
