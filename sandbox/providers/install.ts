// How to install each tool the providers and workshops use, for the system at hand: apt on
// Debian and Ubuntu, Homebrew on macOS, else the tool's own install page. `doctor` prints these.
import { readFileSync } from 'node:fs';

export type Installable = 'docker' | 'kind' | 'minikube' | 'kubectl' | 'bubblewrap';
export type HostSystem = 'debian' | 'macos' | 'other';

/** Debian, Ubuntu and their derivatives (ID or ID_LIKE in /etc/os-release), macOS, or anything else */
export function hostSystem(platform: NodeJS.Platform = process.platform, osRelease = '/etc/os-release'): HostSystem {
  if (platform === 'darwin') return 'macos';
  if (platform !== 'linux') return 'other';
  try {
    const text = readFileSync(osRelease, 'utf8');
    const ids = [/^ID=(.*)$/m, /^ID_LIKE=(.*)$/m].flatMap((re) => (re.exec(text)?.[1] ?? '').replace(/"/g, '').split(/\s+/));
    return ids.some((id) => id === 'debian' || id === 'ubuntu') ? 'debian' : 'other';
  } catch {
    return 'other';
  }
}

const PAGE: Record<Installable, string> = {
  docker: 'https://docs.docker.com/engine/install/',
  kind: 'https://kind.sigs.k8s.io/docs/user/quick-start/#installation',
  minikube: 'https://minikube.sigs.k8s.io/docs/start/',
  kubectl: 'https://kubernetes.io/docs/tasks/tools/',
  bubblewrap: 'https://github.com/containers/bubblewrap',
};

/** the release binaries kind and minikube publish for Linux (neither is in Debian's archive) */
const arch = process.arch === 'arm64' ? 'arm64' : 'amd64';
const LINUX_BINARY: Partial<Record<Installable, string>> = {
  kind: `curl -Lo ./kind https://kind.sigs.k8s.io/dl/v0.27.0/kind-linux-${arch} && chmod +x ./kind && sudo mv ./kind /usr/local/bin/kind`,
  minikube:
    `curl -LO https://storage.googleapis.com/minikube/releases/latest/minikube-linux-${arch} && ` +
    `sudo install minikube-linux-${arch} /usr/local/bin/minikube`,
};

/** one command (or the page to read) that installs `tool` on `system` */
export function installHint(tool: Installable, system: HostSystem = hostSystem()): string {
  if (system === 'macos') {
    if (tool === 'docker') return 'brew install --cask docker (Docker Desktop; open it once)';
    if (tool === 'bubblewrap') return 'not available on macOS (workshop seats need Linux)';
    return `brew install ${tool}`;
  }
  if (system === 'debian') {
    if (tool === 'docker') return 'sudo apt-get install docker.io && sudo usermod -aG docker $USER (then log in again)';
    if (tool === 'bubblewrap') return 'sudo apt-get install bubblewrap';
    // Debian's own kubernetes-client is 1.20; the project's apt repository has current ones
    if (tool === 'kubectl') return `sudo apt-get install kubectl, from the pkgs.k8s.io repository (${PAGE.kubectl}install-kubectl-linux/)`;
  }
  return LINUX_BINARY[tool] && process.platform === 'linux' ? LINUX_BINARY[tool] : `see ${PAGE[tool]}`;
}
