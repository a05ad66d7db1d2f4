// Fake docker, kind and minikube for the provider tests (no Docker engine runs here). Each call
// appends {tool, argv, kubeconfig} as one JSON line to $FAKE_TOOLS_LOG, plays back what the real
// tool prints, and "creates" a cluster by writing the kubeconfig of the embedded cluster
// ($FAKE_CLUSTER_KUBECONFIG, started with --profile kind|minikube) under the tool's context name.
// Its clusters live in $FAKE_TOOLS_STATE (one file per cluster). Behaviour, from the environment:
//   FAKE_DOCKER=missing-daemon   docker info fails as with a stopped daemon
//   FAKE_FAIL="kind create"      that command fails with the tool's own error output
//   FAKE_SLOW=1                  the long commands print their progress lines one by one
import { appendFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const [tool, ...argv] = process.argv.slice(2);
const env = process.env;
const state = env.FAKE_TOOLS_STATE ?? '/tmp/fake-tools-state';
mkdirSync(state, { recursive: true });
if (env.FAKE_TOOLS_LOG) appendFileSync(env.FAKE_TOOLS_LOG, JSON.stringify({ tool, argv, kubeconfig: env.KUBECONFIG }) + '\n');

const out = (s) => process.stdout.write(s + '\n');
const err = (s) => process.stderr.write(s + '\n');
const tick = () => new Promise((r) => setImmediate(r));
async function progress(lines, to = err) {
  for (const l of lines) {
    to(l);
    if (env.FAKE_SLOW) await tick();
  }
}
const flag = (name) => {
  const i = argv.indexOf(name);
  if (i >= 0) return argv[i + 1];
  const eq = argv.find((a) => a.startsWith(name + '='));
  return eq?.slice(name.length + 1);
};
const fails = (cmd) => (env.FAKE_FAIL ?? '').split(',').map((s) => s.trim()).includes(cmd);
const clusterFile = (t, name) => join(state, `${t}-${name}`);

function writeKubeconfig(path, context) {
  const src = readFileSync(env.FAKE_CLUSTER_KUBECONFIG, 'utf8');
  writeFileSync(path, src.replace(/\bcoredns-lab\b/g, context), { mode: 0o600 });
}

async function docker() {
  const down = env.FAKE_DOCKER === 'missing-daemon';
  if (argv[0] === '--version') return out('Docker version 27.4.1, build b9d17ea'), 0;
  if (argv[0] === 'info') {
    if (down) return err('Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?'), 1;
    return out('27.4.1'), 0;
  }
  if (argv[0] === 'build') {
    if (down) return err('ERROR: Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?'), 1;
    if (fails('docker build')) return err('ERROR: failed to solve: node:20-slim: failed to resolve source metadata: no such host'), 1;
    await progress(['#0 building with "default" instance using docker driver', '#1 [internal] load build definition from Dockerfile', `#12 naming to docker.io/${flag('-t')} done`, '#12 DONE 0.1s']);
    return 0;
  }
  return err(`docker: '${argv[0]}' is not a docker command.`), 1;
}

async function kind() {
  const name = flag('--name') ?? 'kind';
  const sub = argv.slice(0, 2).join(' ');
  if (argv[0] === 'version') return out('kind v0.27.0 go1.23.6 linux/amd64'), 0;
  if (sub === 'get clusters') {
    const names = readdirSync(state).filter((f) => f.startsWith('kind-')).map((f) => f.slice(5));
    if (!names.length) err('No kind clusters found.');
    for (const n of names) out(n);
    return 0;
  }
  if (sub === 'create cluster') {
    if (env.FAKE_DOCKER === 'missing-daemon') return err('ERROR: failed to create cluster: failed to get docker info: command "docker info" failed'), 1;
    if (existsSync(clusterFile('kind', name))) return err(`ERROR: failed to create cluster: node(s) already exist for a cluster with the name "${name}"`), 1;
    await progress([`Creating cluster "${name}" ...`, ' ✓ Ensuring node image (kindest/node:v1.32.2) 🖼', ' ✓ Preparing nodes 📦', ' ✓ Writing configuration 📜']);
    if (fails('kind create')) {
      err(' ✗ Starting control-plane 🕹️');
      err('ERROR: failed to create cluster: failed to init node with kubeadm: command "docker exec --privileged coredns-lab-control-plane kubeadm init" failed with error: exit status 1');
      return 1;
    }
    await progress([' ✓ Starting control-plane 🕹️', ' ✓ Installing CNI 🔌', ' ✓ Installing StorageClass 💾', ' ✓ Waiting ≤ 2m0s for control-plane = Ready ⏳', ' • Ready after 14s 💚']);
    writeFileSync(clusterFile('kind', name), flag('--config') ? readFileSync(flag('--config'), 'utf8') : '');
    writeKubeconfig(flag('--kubeconfig'), `kind-${name}`);
    out(`Set kubectl context to "kind-${name}"`);
    return 0;
  }
  if (sub === 'export kubeconfig') {
    if (!existsSync(clusterFile('kind', name))) return err(`ERROR: could not locate any control plane nodes for cluster named '${name}'`), 1;
    writeKubeconfig(flag('--kubeconfig'), `kind-${name}`);
    return err(`Set kubectl context to "kind-${name}"`), 0;
  }
  if (sub === 'load docker-image') {
    return err(`Image: "${argv[2]}" with ID "sha256:4f6c1e2b" not yet present on node "${name}-control-plane", loading...`), 0;
  }
  if (sub === 'delete cluster') {
    err(`Deleting cluster "${name}" ...`);
    rmSync(clusterFile('kind', name), { force: true });
    return err(`Deleted nodes: ["${name}-control-plane"]`), 0;
  }
  return err(`ERROR: unknown command "${argv[0]}" for "kind"`), 1;
}

async function minikube() {
  const p = flag('-p') ?? flag('--profile') ?? 'minikube';
  if (argv[0] === 'version') return out('minikube version: v1.35.0'), 0;
  if (argv[0] === 'profile' && argv[1] === 'list') {
    const names = readdirSync(state).filter((f) => f.startsWith('minikube-')).map((f) => f.slice(9));
    // with no profile, -o json prints empty lists and exits 0 (minikube issue #5898)
    return out(JSON.stringify({ invalid: [], valid: names.map((Name) => ({ Name, Status: 'OK', Config: { Driver: 'docker' } })) })), 0;
  }
  if (argv[0] === 'start') {
    if (env.FAKE_DOCKER === 'missing-daemon') {
      err('X Exiting due to PROVIDER_DOCKER_NOT_RUNNING: "docker version --format -" exit status 1: Cannot connect to the Docker daemon');
      return 56;
    }
    await progress([`* [${p}] minikube v1.35.0 on Debian 12`, '* Using the docker driver based on user configuration', `* Starting "${p}" primary control-plane node in "${p}" cluster`,
      '* Creating docker container (CPUs=2, Memory=3900MB) ...', '* Preparing Kubernetes v1.32.0 on Docker 27.4.1 ...'], out);
    if (fails('minikube start')) return err('X Exiting due to K8S_APISERVER_MISSING: wait 6m0s for node: wait for apiserver proc: apiserver process never appeared'), 80;
    await progress(['* Verifying Kubernetes components...', `* Done! kubectl is now configured to use "${p}" cluster and "default" namespace by default`], out);
    writeFileSync(clusterFile('minikube', p), '');
    writeKubeconfig(env.KUBECONFIG, p);
    return 0;
  }
  if (argv[0] === 'image' && argv[1] === 'load') return 0;
  if (argv[0] === 'delete') {
    out(`* Deleting "${p}" in docker ...`);
    rmSync(clusterFile('minikube', p), { force: true });
    return out(`* Removed all traces of the "${p}" cluster.`), 0;
  }
  return err(`Error: unknown command "${argv[0]}" for "minikube"`), 64;
}

const code = await ({ docker, kind, minikube })[tool]();
process.exitCode = code;
