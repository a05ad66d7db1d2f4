// exec, attach and logs through the real kubectl, with a tiny runtime standing in for the pods.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import type { KubeObject, LogOptions, PodRuntimeHost, ProcessStreams } from '../../../sandbox/cluster/contracts.ts';
import { startLab, type Lab } from './harness.ts';

/** echoes its command, copies stdin to stdout for `cat`, exits with `exit N`'s N */
class TinyRuntime implements PodRuntimeHost {
  lastLogOptions?: LogOptions;
  async exec(pod: KubeObject, container: string, command: string[], io: ProcessStreams): Promise<number> {
    if (command[0] === 'cat' && io.stdin) {
      for await (const chunk of io.stdin) io.stdout.write(chunk);
      return 0;
    }
    if (command[0] === 'exit') return Number(command[1]);
    if (command[0] === 'fail') {
      io.stderr.write('oops\n');
      return 1;
    }
    io.stdout.write(`${pod.metadata.name}/${container}: ${command.join(' ')}\n`);
    return 0;
  }
  async attach(_pod: KubeObject, _container: string, io: ProcessStreams): Promise<number> {
    io.stdout.write('attached\n');
    return 0;
  }
  logs(pod: KubeObject, opts: LogOptions): Readable {
    this.lastLogOptions = opts;
    const lines = ['one', 'two', 'three'].map((l) => `${pod.metadata.name} ${l}\n`);
    return Readable.from(opts.tailLines !== undefined ? lines.slice(-opts.tailLines) : lines);
  }
}

let lab: Lab;
const runtime = new TinyRuntime();
before(async () => {
  lab = await startLab({ runtime });
  const pod = (name: string, containers: string[]) => {
    const p = lab.store.create('pods', { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { nodeName: 'node-1', containers: containers.map((c) => ({ name: c, image: 'busybox:1.28' })) } });
    lab.store.updateStatus('pods', { ...p, status: { phase: 'Running', containerStatuses: containers.map((c) => ({ name: c, ready: true, restartCount: 0, image: 'busybox:1.28', imageID: '', state: { running: { startedAt: '2024-01-01T00:00:00Z' } } })) } });
  };
  pod('busybox', ['busybox']);
  pod('two', ['a', 'b']);
  lab.store.create('pods', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'pending', namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'x' }] } });
});
after(() => lab.close());

describe('exec over WebSocket v5', () => {
  test('runs the command and prints its output', async () => {
    const r = await lab.kubectl(['exec', 'busybox', '--', 'nslookup', 'kubernetes.default']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'busybox/busybox: nslookup kubernetes.default\n');
  });
  test('the exit code comes back to kubectl', async () => {
    const r = await lab.kubectl(['exec', 'busybox', '--', 'exit', '3']);
    assert.equal(r.code, 3);
    assert.match(r.stderr, /command terminated with exit code 3/);
  });
  test('stderr is its own stream', async () => {
    const r = await lab.kubectl(['exec', 'busybox', '--', 'fail']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /oops/);
    assert.equal(r.stdout, '');
  });
  test('stdin reaches the process and its end closes it', async () => {
    const r = await lab.kubectl(['exec', '-i', 'busybox', '--', 'cat'], { input: 'hello through stdin\n' });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'hello through stdin\n');
  });
  test('-c picks a container of a pod with several', async () => {
    const r = await lab.kubectl(['exec', 'two', '-c', 'b', '--', 'hostname']);
    assert.equal(r.stdout, 'two/b: hostname\n', r.stderr);
  });
  test('an unknown container is refused like the real API', async () => {
    const r = await lab.kubectl(['exec', 'busybox', '-c', 'nope', '--', 'ls']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /container not found \("nope"\)/);
  });
  test('a pod that is not running is refused', async () => {
    const r = await lab.kubectl(['exec', 'pending', '--', 'ls']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /pod pending does not have a host assigned/);
  });
  test('a missing pod is NotFound', async () => {
    const r = await lab.kubectl(['exec', 'ghost', '--', 'ls']);
    assert.match(r.stderr, /Error from server \(NotFound\): pods "ghost" not found/);
  });
});

describe('logs', () => {
  test('streams the runtime log and passes tail/timestamps', async () => {
    const r = await lab.kubectl(['logs', 'busybox', '--tail=2', '--timestamps']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'busybox two\nbusybox three\n');
    assert.equal(runtime.lastLogOptions?.tailLines, 2);
    assert.equal(runtime.lastLogOptions?.timestamps, true);
    assert.equal(runtime.lastLogOptions?.container, 'busybox');
  });
  test('limitBytes cuts the stream', async () => {
    const r = await lab.kubectl(['logs', 'busybox', '--limit-bytes=7']);
    assert.equal(r.stdout, 'busybox');
  });
  test('a pod with several containers needs -c', async () => {
    const r = await lab.kubectl(['logs', 'two', '-c', 'a']);
    assert.equal(r.stdout, 'two one\ntwo two\ntwo three\n', r.stderr);
    assert.equal(runtime.lastLogOptions?.container, 'a');
  });
  test('a container that has not started is refused', async () => {
    const r = await lab.kubectl(['logs', 'pending']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /pod pending does not have a host assigned|is waiting to start/);
  });
});

describe('without a runtime', () => {
  test('exec is a clear ServiceUnavailable', async () => {
    const bare = await startLab();
    try {
      const p = bare.store.create('pods', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'x', namespace: 'default' }, spec: { nodeName: 'n', containers: [{ name: 'x', image: 'x' }] } });
      bare.store.updateStatus('pods', { ...p, status: { phase: 'Running', containerStatuses: [{ name: 'x', state: { running: {} } }] } });
      const r = await bare.kubectl(['exec', 'x', '--', 'ls']);
      assert.equal(r.code, 1);
      assert.match(r.stderr, /no pod runtime attached/);
    } finally {
      await bare.close();
    }
  });
});
