// The busybox container's commands, one row per behaviour: what `kubectl exec busybox -- ...`
// prints and exits with. No DNS server runs here; rows that need one live in nslookup.test.ts.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { labCluster, busyboxPod, type LabCluster } from './support/lab-cluster.ts';
import { waitFor } from '../../support/wait.ts';
import type { KubeObject } from '../../../sandbox/cluster/contracts.ts';
import { isStatusError } from '../../../sandbox/cluster/errors.ts';
import { humanSize, lsDate } from '../../../sandbox/cluster/runtimes/busybox/ls.ts';

interface Row { name: string; argv: string[]; stdout: string | RegExp; stderr?: string | RegExp; code: number; stdin?: string }

const ROWS: Row[] = [
  { name: 'cat resolv.conf (nameserver first, as the chapter shows)', argv: ['cat', '/etc/resolv.conf'], code: 0,
    stdout: 'nameserver 100.64.0.10\nsearch default.svc.cluster.local svc.cluster.local cluster.local us-west-1.compute.internal\noptions ndots:5\n' },
  { name: 'cat hosts has the pod line', argv: ['cat', '/etc/hosts'], code: 0, stdout: /^# Kubernetes-managed hosts file\.\n127\.0\.0\.1\tlocalhost\n[\s\S]*\n100\.96\.5\.3\tbusybox\n$/ },
  { name: 'cat hostname', argv: ['cat', '/etc/hostname'], code: 0, stdout: 'busybox\n' },
  { name: 'cat of a missing file', argv: ['cat', '/etc/nope'], code: 1, stdout: '', stderr: "cat: can't open '/etc/nope': No such file or directory\n" },
  { name: 'hostname', argv: ['hostname'], code: 0, stdout: 'busybox\n' },
  { name: 'env has the kubernetes service variables', argv: ['env'], code: 0, stdout: /^PATH=\/usr\/local\/sbin:[^\n]*\nHOSTNAME=busybox\n[\s\S]*KUBERNETES_SERVICE_HOST=100\.64\.0\.1\n[\s\S]*HOME=\/root\n/ },
  { name: 'echo', argv: ['echo', 'hello', 'world'], code: 0, stdout: 'hello world\n' },
  { name: 'pwd', argv: ['pwd'], code: 0, stdout: '/\n' },
  { name: 'ls / (not a terminal: one per line)', argv: ['ls', '/'], code: 0, stdout: 'bin\ndev\netc\nhome\nproc\nroot\nsys\ntmp\nusr\nvar\n' },
  { name: 'ls /etc', argv: ['ls', '/etc'], code: 0, stdout: 'group\nhostname\nhosts\npasswd\nresolv.conf\n' },
  // coreutils/ls.c at 1_28_4 (this machine's busybox 1.35 prints -l the same): mode, %4lu links, %-8.8s owner and
  // group, %9llu size (-h: %7s, one decimal), "Mon dd HH:MM" or "Mon dd  YYYY" past half a year, "total" of 1K blocks
  { name: 'ls -l /etc: the image\'s files dated at its build, the kubelet\'s now', argv: ['ls', '-l', '/etc'], code: 0,
    stdout: new RegExp('^total 20\n' +
      '-rw-r--r-- {4}1 root {5}root {11}\\d{3} May 22  2018 group\n' +
      '-rw-r--r-- {4}1 root {5}root {13}8 [A-Z][a-z]{2} [ \\d]\\d \\d\\d:\\d\\d hostname\n' +
      '-rw-r--r-- {4}1 root {5}root {11,12}\\d{2,3} [A-Z][a-z]{2} [ \\d]\\d \\d\\d:\\d\\d hosts\n' +
      '-rw-r--r-- {4}1 root {5}root {11}\\d{3} May 22  2018 passwd\n' +
      '-rw-r--r-- {4}1 root {5}root {11,12}\\d{2,3} [A-Z][a-z]{2} [ \\d]\\d \\d\\d:\\d\\d resolv\\.conf\n$') },
  { name: 'ls -la of a directory the container made: . and .., files first by name, links of a directory', argv: ['sh', '-c',
    'mkdir -p /tmp/d/sub; echo hello > /tmp/d/a.txt; echo > /tmp/d/.hidden; ls -la /tmp/d; ls -l /tmp/d; ls -ld /tmp/d /tmp/d/a.txt'], code: 0,
    // -d lists the directory itself, sorted with the files by name: /tmp/d before /tmp/d/a.txt
    stdout: new RegExp('^total 20\n' +
      'drwxr-xr-x {4}3 root {5}root {10}4096 (\\w{3} [ \\d]\\d \\d\\d:\\d\\d) \\.\n' +
      'drwxrwxrwt {4}3 root {5}root {10}4096 \\w{3} [ \\d]\\d \\d\\d:\\d\\d \\.\\.\n' +
      '-rw-r--r-- {4}1 root {5}root {13}1 \\1 \\.hidden\n' +
      '-rw-r--r-- {4}1 root {5}root {13}6 \\1 a\\.txt\n' +
      'drwxr-xr-x {4}2 root {5}root {10}4096 \\1 sub\n' +
      'total 8\n-rw-r--r-- {4}1 root {5}root {13}6 \\1 a\\.txt\ndrwxr-xr-x {4}2 root {5}root {10}4096 \\1 sub\n' +
      'drwxr-xr-x {4}3 root {5}root {10}4096 \\1 /tmp/d\n-rw-r--r-- {4}1 root {5}root {13}6 \\1 /tmp/d/a\\.txt\n$') },
  { name: 'ls -lh: sizes with one decimal and a unit from 1024 bytes up; -a shows dotfiles, plain ls does not', argv: ['sh', '-c',
    'mkdir /tmp/h; head -c 123456 /etc/passwd > /dev/null; echo x > /tmp/h/.dot; ls -lh /tmp/h /; ls -a /tmp/h; ls /tmp/h'], code: 0,
    stdout: /^\/:\ntotal 32\ndrwxr-xr-x +2 root +root +4\.0K May 22  2018 bin\n[\s\S]*\ndr-xr-xr-x +2 root +root +0 May 22  2018 proc\ndrwx------ +2 root +root +4\.0K May 22  2018 root\n[\s\S]*\n\n\/tmp\/h:\ntotal 0\n\.\n\.\.\n\.dot\n$/ },
  { name: 'ls -l of the applets: one busybox binary, hard-linked', argv: ['ls', '-l', '/bin/sh', '/bin/ls'], code: 0,
    stdout: /^-rwxr-xr-x +(\d+) root +root +\d+ May 22  2018 \/bin\/ls\n-rwxr-xr-x +\1 root +root +\d+ May 22  2018 \/bin\/sh\n$/ },
  { name: 'ls of a missing path', argv: ['ls', '/nope'], code: 1, stdout: '', stderr: 'ls: /nope: No such file or directory\n' },
  { name: 'true', argv: ['true'], code: 0, stdout: '' },
  { name: 'false', argv: ['false'], code: 1, stdout: '' },
  { name: 'sleep 0', argv: ['sleep', '0'], code: 0, stdout: '' },
  { name: 'sleep with a bad number', argv: ['sleep', 'x'], code: 1, stdout: '', stderr: "sleep: invalid number 'x'\n" },
  { name: 'sh -c with ; && || and $?', argv: ['sh', '-c', 'false && echo no; echo $? || echo never; true && echo yes'], code: 0, stdout: '1\nyes\n' },
  { name: 'sh -c with an unknown command', argv: ['sh', '-c', 'foo'], code: 127, stdout: '', stderr: 'sh: foo: not found\n' },
  { name: 'sh -c with quotes and variables', argv: ['sh', '-c', `X=a; export Y="b c"; echo '$X' "$HOSTNAME" $Y`], code: 0, stdout: '$X busybox b c\n' },
  { name: 'sh -c with a pipe', argv: ['sh', '-c', 'cat /etc/resolv.conf | grep nameserver'], code: 0, stdout: 'nameserver 100.64.0.10\n' },
  { name: 'sh -c exit code', argv: ['sh', '-c', 'exit 3'], code: 3, stdout: '' },
  { name: 'sh -c syntax error', argv: ['sh', '-c', "echo 'open"], code: 2, stdout: '', stderr: 'sh: syntax error: unterminated quoted string\n' },
  { name: 'redirection into a file, then cat', argv: ['sh', '-c', 'echo hi > /tmp/x; echo there >> /tmp/x; cat /tmp/x'], code: 0, stdout: 'hi\nthere\n' },
  { name: 'busybox applet form', argv: ['busybox', 'echo', 'ok'], code: 0, stdout: 'ok\n' },
  // coreutils/touch.c, mkdir.c, rm.c (libbb/remove_file.c) at busybox 1.28: the docs' liveness example uses touch and rm -f
  { name: 'touch creates an empty file; rm -f removes it, and is quiet when it is gone', argv: ['sh', '-c', 'touch /tmp/healthy; cat /tmp/healthy && echo made; rm -f /tmp/healthy; rm -f /tmp/healthy; cat /tmp/healthy'],
    code: 1, stdout: 'made\n', stderr: "cat: can't open '/tmp/healthy': No such file or directory\n" },
  { name: 'touch keeps what a file holds', argv: ['sh', '-c', 'echo hi > /tmp/x; touch /tmp/x; cat /tmp/x'], code: 0, stdout: 'hi\n' },
  { name: 'touch in a directory that does not exist', argv: ['touch', '/nope/x'], code: 1, stdout: '', stderr: 'touch: /nope/x: No such file or directory\n' },
  { name: 'touch -c does not create', argv: ['sh', '-c', 'touch -c /tmp/c; cat /tmp/c'], code: 1, stdout: '', stderr: "cat: can't open '/tmp/c': No such file or directory\n" },
  { name: 'rm of a missing file, and of a directory without -r', argv: ['sh', '-c', 'rm /tmp/none; rm /tmp'], code: 1, stdout: '',
    stderr: "rm: can't remove '/tmp/none': No such file or directory\nrm: '/tmp' is a directory\n" },
  { name: 'mkdir, mkdir -p, and mkdir of one that exists', argv: ['sh', '-c', 'mkdir /tmp/m; mkdir /tmp/m/d; mkdir -p /tmp/m/a/b/c; ls /tmp/m /tmp/m/a/b; mkdir /tmp/m/d; mkdir /x/y'], code: 1,
    stdout: '/tmp/m:\na\nd\n\n/tmp/m/a/b:\nc\n', stderr: "mkdir: can't create directory '/tmp/m/d': File exists\nmkdir: can't create directory '/x/y': No such file or directory\n" },
  { name: 'rm -r removes a directory the container made', argv: ['sh', '-c', 'mkdir -p /tmp/r/s; touch /tmp/r/s/f; rm -r /tmp/r; ls /tmp/r'], code: 1, stdout: '',
    stderr: 'ls: /tmp/r: No such file or directory\n' },
  { name: 'touch without a file: the usage', argv: ['touch'], code: 1, stdout: '', stderr: /^BusyBox v1\.28\.4 [\s\S]*\n\nUsage: touch \[-c\] \[-d DATE\] \[-t DATE\] \[-r FILE\] FILE\.\.\.\n\nUpdate the last-modified date on the given FILE\[s\]\n/ },
  { name: '>&2 sends stdout to stderr', argv: ['sh', '-c', 'echo out; echo err >&2; echo err2 1>&2'], code: 0, stdout: 'out\n', stderr: 'err\nerr2\n' },
  { name: '2>&1 sends stderr down the pipe', argv: ['sh', '-c', 'cat /nope 2>&1 | wc -l; cat /nope 2>/dev/null; echo $?'], code: 0, stdout: '1\n1\n' },
  { name: 'redirections apply in order: >/dev/null 2>&1 silences both, 2>&1 >/dev/null keeps stderr', argv: ['sh', '-c', 'cat /nope >/dev/null 2>&1; cat /nope 2>&1 >/dev/null'], code: 1, stdout: "cat: can't open '/nope': No such file or directory\n" },
  { name: 'a descriptor that is not open fails that command only (busybox 1.35 here prints the same)', argv: ['sh', '-c', 'echo x >&5; echo "rc=$?"'], code: 0, stdout: 'rc=1\n', stderr: 'sh: 5: Bad file descriptor\n' },
  { name: 'absolute applet path', argv: ['/bin/hostname'], code: 0, stdout: 'busybox\n' },
  { name: 'ping a name that does not resolve (no DNS endpoints)', argv: ['ping', '-c', '1', 'nowhere'], code: 1, stdout: '', stderr: "ping: bad address 'nowhere'\n" },
  { name: 'wget to a name that does not resolve', argv: ['wget', '-qO-', 'http://nowhere/'], code: 1, stdout: '', stderr: "wget: bad address 'nowhere'\n" },
  // busybox 1.28's text applets (coreutils/head.c, tail.c, wc.c, findutils/grep.c at tag 1_28_4)
  { name: 'head -n 1', argv: ['head', '-n', '1', '/etc/resolv.conf'], code: 0, stdout: 'nameserver 100.64.0.10\n' },
  { name: 'head -1 (the obsolete form)', argv: ['head', '-1', '/etc/hostname'], code: 0, stdout: 'busybox\n' },
  { name: 'head of two files has headers', argv: ['head', '-n1', '/etc/hostname', '/etc/resolv.conf'], code: 0,
    stdout: '==> /etc/hostname <==\nbusybox\n\n==> /etc/resolv.conf <==\nnameserver 100.64.0.10\n' },
  { name: 'head with an unknown option: getopt, then the usage', argv: ['head', '-x'], code: 1, stdout: '',
    stderr: /^head: invalid option -- 'x'\nBusyBox v1\.28\.4 \(2018-05-22 17:00:17 UTC\) multi-call binary\.\n\nUsage: head \[OPTIONS\] \[FILE\]\.\.\.\n\nPrint first 10 lines of each FILE \(or stdin\) to stdout\.\n[\s\S]*\tPrint first N lines\n[\s\S]*\nN may be suffixed by k \(x1024\), b \(x512\), or m \(x1024\^2\)\.\n$/ },
  { name: 'head --help exits 0', argv: ['head', '--help'], code: 0, stdout: '', stderr: /^BusyBox v1\.28\.4 [\s\S]*Usage: head / },
  { name: 'tail -n 1', argv: ['tail', '-n', '1', '/etc/resolv.conf'], code: 0, stdout: 'options ndots:5\n' },
  { name: 'tail -n +2', argv: ['tail', '-n', '+3', '/etc/resolv.conf'], code: 0, stdout: 'options ndots:5\n' },
  { name: 'wc of a file', argv: ['wc', '/etc/resolv.conf'], code: 0, stdout: /^ {8}3 {9}9 {7}\d{3} \/etc\/resolv\.conf\n$/ },
  { name: 'wc -l of stdin prints the bare count', argv: ['wc', '-l'], stdin: 'a\nb\n', code: 0, stdout: '2\n' },
  { name: 'grep -c', argv: ['grep', '-c', 'svc', '/etc/resolv.conf'], code: 0, stdout: '1\n' },
  { name: 'grep -q exits 0 with no output', argv: ['grep', '-q', 'ndots', '/etc/resolv.conf'], code: 0, stdout: '' },
  { name: 'grep -n -o', argv: ['grep', '-no', 'ndots:[0-9]', '/etc/resolv.conf'], code: 0, stdout: '3:ndots:5\n' },
  { name: 'grep without a match exits 1', argv: ['grep', 'nope', '/etc/resolv.conf'], code: 1, stdout: '' },
  { name: 'grep reads stdin', argv: ['grep', 'b'], stdin: 'a\nb\n', code: 0, stdout: 'b\n' },
  { name: 'cat reads stdin', argv: ['cat'], stdin: 'piped\n', code: 0, stdout: 'piped\n' },
  { name: 'test -d', argv: ['sh', '-c', 'test -d /etc && echo dir; [ -f /etc/hosts ] && echo file; [ 3 -gt 5 ] || echo no'], code: 0, stdout: 'dir\nfile\nno\n' },
  { name: 'ps: PID 1 is the main process', argv: ['ps'], code: 0, stdout: /^PID   USER     TIME  COMMAND\n    1 root      0:00 sleep 3600\n[\s\S]* root      0:00 ps\n$/ },
  { name: 'busybox alone: banner and applet list', argv: ['busybox'], code: 0,
    stdout: /^BusyBox v1\.28\.4 \(2018-05-22 17:00:17 UTC\) multi-call binary\.\nBusyBox is copyrighted[\s\S]*Currently defined functions:\n\t\[, ash, busybox|\t\[, ash, cat, / },
  { name: 'busybox with an unknown applet', argv: ['busybox', 'vim'], code: 127, stdout: '', stderr: 'vim: applet not found\n' },
  { name: 'nslookup -type=srv prints the usage (1.28 has no options)', argv: ['nslookup', '-type=srv', 'kubernetes'], code: 1, stdout: '',
    stderr: 'BusyBox v1.28.4 (2018-05-22 17:00:17 UTC) multi-call binary.\n\nUsage: nslookup [HOST] [SERVER]\n\nQuery the nameserver for the IP address of the given HOST\noptionally using a specified DNS server\n' },
  { name: 'nc with no port prints the usage', argv: ['nc', 'web'], code: 1, stdout: '', stderr: /Usage: nc \[OPTIONS\] HOST PORT  - connect\n/ },
  { name: 'nc to a refused port is silent, exit 1', argv: ['nc', '100.96.9.9', '81'], code: 1, stdout: '', stderr: '' },
  // ash: $(...), `...`, $((...)), globbing, < redirection
  { name: 'command substitution', argv: ['sh', '-c', 'echo "host: $(hostname)"; X=`cat /etc/hostname`; echo $X'], code: 0, stdout: 'host: busybox\nbusybox\n' },
  { name: 'arithmetic', argv: ['sh', '-c', 'N=4; echo $((N * 2 + 1)) $(( (7 % 4) << 1 ))'], code: 0, stdout: '9 6\n' },
  { name: 'globbing', argv: ['sh', '-c', 'echo /etc/ho*; echo /etc/*.conf; echo /nope/*'], code: 0, stdout: '/etc/hostname /etc/hosts\n/etc/resolv.conf\n/nope/*\n' },
  { name: 'quoted glob stays literal', argv: ['sh', '-c', "echo '/etc/*'"], code: 0, stdout: '/etc/*\n' },
  { name: '< redirection', argv: ['sh', '-c', 'wc -l < /etc/resolv.conf; grep search < /etc/resolv.conf | wc -w'], code: 0, stdout: '3\n5\n' },
  { name: '< of a missing file', argv: ['sh', '-c', 'cat < /nope'], code: 1, stdout: '', stderr: "sh: can't open /nope: no such file\n" },
  { name: 'unquoted substitution splits into fields, quoted does not', argv: ['sh', '-c', 'echo $(echo "1   2") "$(echo "1   2")"'], code: 0, stdout: '1 2 1   2\n' },
  { name: 'wget to a pod port nothing serves', argv: ['wget', '-qO-', 'http://100.96.9.9:8080/'], code: 1, stdout: '', stderr: "wget: can't connect to remote host (100.96.9.9): Connection refused\n" },
];

describe('busybox exec', () => {
  let c: LabCluster;
  let pod: KubeObject;

  before(async () => {
    c = await labCluster();
    pod = (await c.startPod(busyboxPod(), '100.96.5.3')).pod;
  });
  after(async () => { await c.close(); });

  for (const row of ROWS) {
    test(row.name, async () => {
      const r = await c.exec(pod, row.argv, row.stdin !== undefined ? { stdin: row.stdin } : {});
      assert.equal(r.code, row.code, `exit code; stderr: ${r.stderr}`);
      if (typeof row.stdout === 'string') assert.equal(r.stdout, row.stdout);
      else assert.match(r.stdout, row.stdout);
      if (row.stderr !== undefined) {
        if (typeof row.stderr === 'string') assert.equal(r.stderr, row.stderr);
        else assert.match(r.stderr, row.stderr);
      }
    });
  }

  test('exec of a binary the image lacks fails as the runtime fails it', async () => {
    await assert.rejects(c.exec(pod, ['bash']), (e: unknown) => {
      assert.ok(isStatusError(e));
      assert.equal(e.status.reason, 'InternalError');
      assert.match(e.message, /exec: "bash": executable file not found in \$PATH/);
      return true;
    });
  });

  test('ls on a terminal prints columns, with \\r\\n', async () => {
    const r = await c.exec(pod, ['ls', '/'], { tty: true });
    assert.equal(r.stdout, 'bin   dev   etc   home  proc  root  sys   tmp   usr   var\r\n');
  });

  test('sh without a TTY reads commands from stdin, no prompt', async () => {
    const r = await c.exec(pod, ['sh'], { stdin: 'echo one\nhostname\nexit 4\necho never\n' });
    assert.equal(r.stdout, 'one\nbusybox\n');
    assert.equal(r.code, 4);
  });

  test('sh with a TTY: prompt, echo, backspace, \\r\\n, Ctrl-C, Ctrl-D', async () => {
    const stdin = new PassThrough();
    const stdout = new PassThrough();
    let screen = '';
    stdout.on('data', (d) => { screen += d; });
    const resize = new PassThrough();
    const done = c.host.exec(pod, 'busybox', ['sh'], { stdin, stdout, stderr: stdout, tty: true, resize });
    const shows = (s: string) => waitFor(() => screen.includes(s), { what: `the screen to show ${JSON.stringify(s)}`, show: () => JSON.stringify(screen) });
    await shows('/ # ');
    resize.emit('resize', { cols: 120, rows: 40 });
    stdin.write('echo hellx\x7fo\r');
    await shows('hello\r\n/ # ');
    assert.ok(screen.includes('echo hellx\b \bo\r\n'), 'typed text is echoed and backspace erases');
    stdin.write('sleep 30\r');
    await shows('sleep 30\r\n');
    stdin.write('\x03');
    await shows('^C\r\n/ # ');
    stdin.write('echo $?\r');
    await shows('130\r\n/ # ');
    stdin.write('nosuch\r');
    await shows('sh: nosuch: not found\r\n/ # ');
    stdin.write('\x04');
    assert.equal(await done, 127);
  });
});

describe('ls -l columns', () => {
  test('-h sizes as make_human_readable_str(size, 1, 0) prints them (this machine\'s busybox 1.35 agrees)', () => {
    assert.deepEqual([0, 6, 1023, 1024, 4096, 123456, 1048576, 5_000_000_000].map(humanSize), ['0', '6', '1023', '1.0K', '4.0K', '120.6K', '1.0M', '4.7G']);
  });
  test('the date: hours and minutes within half a year, else the year; 15 minutes into the future still counts as recent', () => {
    const now = Date.UTC(2026, 11, 7, 5, 3);
    assert.equal(lsDate(Date.UTC(2026, 11, 7, 4, 57), now), 'Dec  7 04:57 ');
    assert.equal(lsDate(Date.UTC(2020, 0, 2, 3, 4), now), 'Jan  2  2020 ');
    assert.equal(lsDate(Date.UTC(2026, 5, 10, 1, 2), now), 'Jun 10 01:02 ');
    assert.equal(lsDate(Date.UTC(2026, 5, 1, 1, 2), now), 'Jun  1  2026 ');
    assert.equal(lsDate(now + 10 * 60_000, now), 'Dec  7 05:13 ');
    assert.equal(lsDate(now + 20 * 60_000, now), 'Dec  7  2026 ');
  });
});
