// Everyday kubectl and the docs' task pages walked against the whole embedded cluster, where an
// independent walk-through found the sandbox answering differently from a real 1.32 cluster.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startClusterLab, type Lab } from './harness.ts';
import { waitFor } from '../../support/wait.ts';

let lab: Lab;
before(async () => { lab = await startClusterLab(); });
after(async () => { await lab?.close(); });

describe('kubectl expose, then describe svc', () => {
  test('an unnamed port: the EndpointSlice says name "", and describe svc prints its Endpoints', async () => {
    await lab.ok(['create', 'deployment', 'web', '--image=nginx:1.27']);
    await lab.ok(['rollout', 'status', 'deploy/web', '--timeout=30s'], { timeoutMs: 40000 });
    assert.equal(await lab.ok(['expose', 'deployment', 'web', '--port=80']), 'service/web exposed\n');
    const podIP = (await lab.ok(['get', 'pods', '-l', 'app=web', '-o', 'jsonpath={.items[0].status.podIP}'])).trim();
    const ports = await waitForSlicePorts(lab, 'web');
    assert.deepEqual(ports, [{ name: '', port: 80, protocol: 'TCP' }]);
    const out = await lab.ok(['describe', 'svc', 'web']);
    assert.match(out, /\nPort: +<unset>  80\/TCP\nTargetPort: +80\/TCP\n/);
    assert.match(out, new RegExp(`\\nEndpoints: +${podIP.replace(/\./g, '\\.')}:80\\n`));
  });
});

async function waitForSlicePorts(l: Lab, service: string): Promise<unknown> {
  return waitFor(async () => {
    const out = await l.ok(['get', 'endpointslices', '-l', `kubernetes.io/service-name=${service}`, '-o', 'jsonpath={.items[0].endpoints[0].addresses[0]}|{.items[0].ports}']);
    const [address, ports] = out.split('|');
    return address && ports ? JSON.parse(ports!) as unknown : undefined;
  }, { what: `the ${service} EndpointSlice with an endpoint` });
}
