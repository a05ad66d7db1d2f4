// The install command doctor prints for each tool: apt on Debian and Ubuntu (and their
// derivatives), Homebrew on macOS, else the tool's release binary or its install page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hostSystem, installHint } from '../../../sandbox/providers/install.ts';

test('the system is told from the platform and /etc/os-release (ID, then ID_LIKE)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'os-release-'));
  try {
    const file = (name: string, text: string) => {
      writeFileSync(join(dir, name), text);
      return join(dir, name);
    };
    assert.equal(hostSystem('linux', file('debian', 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\n')), 'debian');
    assert.equal(hostSystem('linux', file('mint', 'ID=linuxmint\nID_LIKE="ubuntu debian"\n')), 'debian');
    assert.equal(hostSystem('linux', file('fedora', 'ID=fedora\n')), 'other');
    assert.equal(hostSystem('linux', join(dir, 'missing')), 'other');
    assert.equal(hostSystem('darwin'), 'macos');
    assert.equal(hostSystem('win32'), 'other');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('each tool on each system', () => {
  assert.equal(installHint('kind', 'macos'), 'brew install kind');
  assert.equal(installHint('minikube', 'macos'), 'brew install minikube');
  assert.equal(installHint('kubectl', 'macos'), 'brew install kubectl');
  assert.match(installHint('docker', 'macos'), /^brew install --cask docker/);
  assert.match(installHint('docker', 'debian'), /^sudo apt-get install docker\.io/);
  assert.equal(installHint('bubblewrap', 'debian'), 'sudo apt-get install bubblewrap');
  assert.match(installHint('kubectl', 'debian'), /pkgs\.k8s\.io/);
  assert.match(installHint('docker', 'other'), /https:\/\/docs\.docker\.com\/engine\/install\//);
  assert.match(installHint('kubectl', 'other'), /https:\/\/kubernetes\.io\/docs\/tasks\/tools\//);
  // kind and minikube are in neither Debian nor Ubuntu: their release binaries, on Linux
  if (process.platform === 'linux') {
    assert.match(installHint('kind', 'debian'), /^curl -Lo \.\/kind https:\/\/kind\.sigs\.k8s\.io\/dl\/v0\.27\.0\/kind-linux-(amd64|arm64) /);
    assert.match(installHint('minikube', 'other'), /minikube-linux-(amd64|arm64) \/usr\/local\/bin\/minikube$/);
  }
});
