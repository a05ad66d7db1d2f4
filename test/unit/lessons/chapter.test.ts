// The chapter in lessons/ loads, keeps the step addresses other parts rely on, names only
// manifests that exist, and its log patterns match what dns-server (and CoreDNS) really print.
// The second half feeds the loader broken lesson folders and checks that each error names the
// file and the step, so an author can find the typo.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LESSONS_DIR, LessonError, findStep, loadChapter } from '../../../sandbox/checks/load-lessons.ts';
import type { CheckSpec } from '../../../sandbox/checks/schema.ts';

const chapter = loadChapter();

test('the chapter loads with its title and the lesson and step ids others address', () => {
  assert.equal(chapter.title, 'Using CoreDNS for Service Discovery');
  const ids = Object.fromEntries(chapter.lessons.map((l) => [l.id, l.steps.map((s) => s.id)]));
  assert.deepEqual(ids, {
    prerequisites: ['cluster'],
    'status-quo': ['kube-dns-service', 'busybox', 'nslookup', 'resolv-conf'],
    'deploy-coredns': ['create', 'running', 'logs'],
    'switch-to-coredns': ['apply-service', 'endpoints', 'nslookup'],
    'delete-kube-dns': ['delete'],
  });
  assert.equal(findStep(chapter, 'switch-to-coredns/nslookup').step?.title, 'Resolve again, and see CoreDNS answer');
  for (const l of chapter.lessons) {
    assert.notEqual(l.intro, '', `lessons/${l.id}/lesson.md has no introduction`);
    for (const s of l.steps) assert.ok(s.commands.length > 0, `${l.id}/${s.id} gives the learner nothing to type`);
  }
});

test('every templates/ path in commands, solves and prose exists in lessons/templates', () => {
  const texts: Array<[string, string]> = [];
  for (const l of chapter.lessons) {
    texts.push([`${l.id} intro`, l.intro]);
    for (const s of l.steps) {
      const where = `${l.id}/${s.id}`;
      texts.push([`${where} body`, s.body]);
      for (const c of s.commands) texts.push([`${where} command`, c]);
      for (const a of s.solve) if ('kubectl' in a) texts.push([`${where} solve`, a.kubectl]);
    }
  }
  const seen = new Set<string>();
  for (const [where, text] of texts) {
    for (const m of text.matchAll(/templates\/[\w.-]+\.ya?ml/g)) {
      seen.add(m[0]);
      assert.ok(existsSync(join(LESSONS_DIR, m[0])), `${where} names ${m[0]}, which is not in lessons/templates`);
    }
  }
  // the scan must have found the chapter's three manifests, or the regex above is broken
  for (const f of ['templates/busybox.yaml', 'templates/coredns-kops.yaml', 'templates/coredns-service.yaml']) assert.ok(seen.has(f), f);
});

// Sample lines, keyed by each logs-contain check's `describe`. "match" lines were printed by the
// sandbox's dns-server pods (kubectl logs -n kube-system -l k8s-app=coredns) or are from the
// chapter's 2017 CoreDNS 0.9.9 transcript; "miss" lines are their neighbours in the same logs.
const LOG_SAMPLES: Record<string, { match: string[]; miss: string[] }> = {
  'the CoreDNS start banner': {
    match: ['CoreDNS-1.11.3', '2017/11/03 01:32:33 [INFO] CoreDNS-0.9.9'],
    miss: [
      '.:53',
      'linux/amd64, node20.20.2, coredns-lab-dns-server',
      'I1127 00:15:16.858873       1 server.go:176] Starting SkyDNS server (0.0.0.0:10053)',
      '[INFO] 100.96.6.2:41797 - 59519 "A IN kubernetes.default.svc.cluster.local. udp 54 false 512" NOERROR qr,aa,rd 106 0.000275998s',
    ],
  },
  'a log line for the A query of kubernetes.default.svc.cluster.local.': {
    match: [
      '[INFO] 100.96.6.2:41797 - 59519 "A IN kubernetes.default.svc.cluster.local. udp 54 false 512" NOERROR qr,aa,rd 106 0.000275998s',
      '100.96.5.3 - [03/Nov/2017:01:35:35 +0000] "A IN kubernetes.default.svc.cluster.local. udp 54 false 512" NOERROR qr,aa,rd,ra 70 101.123µs',
    ],
    miss: [
      '[INFO] 100.96.6.2:57537 - 37034 "AAAA IN kubernetes.default.svc.cluster.local. udp 54 false 512" NOERROR qr,aa,rd 147 0.000478057s',
      '[INFO] 100.96.6.2:48245 - 48903 "A IN kubernetes.default.default.svc.cluster.local. udp 62 false 512" NXDOMAIN qr,aa,rd 155 0.000292759s',
      '[INFO] 100.96.6.2:56069 - 15648 "A IN kubernetes.default. udp 36 false 512" NXDOMAIN qr,rd,ra 111 0.001214359s',
      '[INFO] 100.96.6.2:38963 - 42420 "PTR IN 1.0.64.100.in-addr.arpa. udp 41 false 512" NOERROR qr,aa,rd 114 0.000391805s',
      'CoreDNS-1.11.3',
    ],
  },
};

function logChecks(): Array<{ where: string; check: Extract<CheckSpec, { kind: 'logs-contain' }> }> {
  const out: Array<{ where: string; check: Extract<CheckSpec, { kind: 'logs-contain' }> }> = [];
  for (const l of chapter.lessons) {
    for (const s of l.steps) {
      const all = [...s.checks, ...s.solve.flatMap((a) => ('waitFor' in a ? [a.waitFor] : []))];
      for (const c of all) if (c.kind === 'logs-contain') out.push({ where: `${l.id}/${s.id}`, check: c });
    }
  }
  return out;
}

test('every logs-contain pattern matches its real sample lines and not their neighbours', () => {
  const found = logChecks();
  assert.ok(found.length >= 4, 'the deploy-coredns/logs and switch-to-coredns/nslookup checks and waitFors');
  for (const { where, check } of found) {
    const samples = LOG_SAMPLES[check.describe];
    assert.ok(samples, `${where}: no sample lines for "${check.describe}"; add some from a real log`);
    const re = new RegExp(check.pattern);
    for (const line of samples.match) assert.match(line, re, `${where}: /${check.pattern}/ should match`);
    for (const line of samples.miss) assert.doesNotMatch(line, re, `${where}: /${check.pattern}/ should not match`);
  }
});

// ---- broken lesson folders ----

const root = mkdtempSync(join(tmpdir(), 'lessons-test-'));
after(() => rmSync(root, { recursive: true, force: true }));

const GOOD_MD = '---\ntitle: Broken\nsummary: a lesson for the loader test\n---\nIntro.\n';
const step = (id: string, check: string) =>
  `- id: ${id}\n  title: A step\n  body: Does something.\n  commands: [kubectl get nodes]\n  checks:\n${check}\n  solve: []\n`;

interface BrokenCase {
  name: string;
  md?: string;
  steps: string;
  file: 'lesson.md' | 'steps.yaml';
  /** the step the message must name, or null when the problem is not in a step */
  step: string | null;
  problem: RegExp;
}

const CASES: BrokenCase[] = [
  { name: 'missing front matter', md: '# Broken\nNo front matter here.\n', steps: step('s1', '    - kind: nodes-ready'), file: 'lesson.md', step: null, problem: /expected front matter/ },
  { name: 'unknown check kind', steps: step('s1', '    - kind: dns-works'), file: 'steps.yaml', step: 'step s1, checks[0]', problem: /unknown check kind "dns-works"/ },
  {
    name: 'unknown field',
    steps: step('s1', '    - kind: service\n      namespace: kube-system\n      name: kube-dns\n      selectr: k8s-app=coredns'),
    file: 'steps.yaml',
    step: 'step s1, checks[0]',
    problem: /unknown field "selectr"/,
  },
  {
    name: 'pods-ready with both name and selector',
    steps: step('s1', '    - kind: pods-ready\n      namespace: default\n      name: busybox\n      selector: app=busybox'),
    file: 'steps.yaml',
    step: 'step s1, checks[0]',
    problem: /exactly one of "name" and "selector"/,
  },
  {
    name: 'bad regex',
    steps: step('s1', "    - kind: logs-contain\n      namespace: kube-system\n      podSelector: k8s-app=coredns\n      pattern: 'CoreDNS-(\\d+'\n      describe: banner"),
    file: 'steps.yaml',
    step: 'step s1, checks[0]',
    problem: /"pattern" is not a regular expression/,
  },
  {
    name: 'duplicate step id',
    steps: step('s1', '    - kind: nodes-ready') + step('s2', '    - kind: nodes-ready') + step('s1', '    - kind: nodes-ready'),
    file: 'steps.yaml',
    step: 'step s1',
    problem: /step ids must be unique/,
  },
  {
    name: 'malformed check inside a waitFor',
    steps: '- id: s1\n  title: A step\n  body: Does something.\n  checks:\n    - kind: nodes-ready\n  solve:\n    - waitFor:\n        kind: pods-ready\n        namespace: default\n',
    file: 'steps.yaml',
    step: 'step s1, solve[0], waitFor',
    problem: /exactly one of "name" and "selector"/,
  },
];

for (const [i, c] of CASES.entries()) {
  test(`a broken lesson is a LessonError naming the file and the step: ${c.name}`, () => {
    const dir = join(root, `case-${i}`);
    mkdirSync(join(dir, 'broken'), { recursive: true });
    writeFileSync(join(dir, 'index.yaml'), 'title: Test chapter\nlessons: [broken]\n');
    writeFileSync(join(dir, 'broken', 'lesson.md'), c.md ?? GOOD_MD);
    writeFileSync(join(dir, 'broken', 'steps.yaml'), c.steps);
    const file = join(dir, 'broken', c.file);
    assert.throws(
      () => loadChapter(dir),
      (e: unknown) => {
        assert.ok(e instanceof LessonError, `expected a LessonError, got ${String(e)}`);
        assert.equal(e.code, 'LAB_ERR_LESSON');
        assert.equal(e.file, file);
        assert.ok(e.message.startsWith(file), `message names the file: ${e.message}`);
        if (c.step === null) assert.equal(e.where, '');
        else assert.ok(e.message.includes(`(${c.step}`), `message names "${c.step}": ${e.message}`);
        assert.match(e.message, c.problem);
        return true;
      },
    );
  });
}

test('the same folder with the mistake fixed loads, so each case above fails only on its mistake', () => {
  const dir = join(root, 'fixed');
  mkdirSync(join(dir, 'broken'), { recursive: true });
  writeFileSync(join(dir, 'index.yaml'), 'title: Test chapter\nlessons: [broken]\n');
  writeFileSync(join(dir, 'broken', 'lesson.md'), GOOD_MD);
  writeFileSync(
    join(dir, 'broken', 'steps.yaml'),
    step('s1', "    - kind: logs-contain\n      namespace: kube-system\n      podSelector: k8s-app=coredns\n      pattern: 'CoreDNS-(\\d+)'\n      describe: banner") +
      step('s2', '    - kind: pods-ready\n      namespace: default\n      name: busybox'),
  );
  const loaded = loadChapter(dir);
  assert.deepEqual(loaded.lessons[0]!.steps.map((s) => s.id), ['s1', 's2']);
  assert.equal(loaded.lessons[0]!.title, 'Broken');
});

test('a chapter read before is kept until one of its files changes; then the edit is read, and a broken edit is reported, not hidden', () => {
  const dir = join(root, 'kept');
  mkdirSync(join(dir, 'one'), { recursive: true });
  writeFileSync(join(dir, 'index.yaml'), 'title: Test chapter\nlessons: [one]\n');
  writeFileSync(join(dir, 'one', 'lesson.md'), GOOD_MD);
  writeFileSync(join(dir, 'one', 'steps.yaml'), step('s1', '    - kind: nodes-ready'));
  const first = loadChapter(dir);
  assert.equal(loadChapter(dir), first, 'unchanged files: the same chapter, not read again');
  writeFileSync(join(dir, 'one', 'steps.yaml'), step('s1', '    - kind: nodes-ready') + step('s2', '    - kind: nodes-ready'));
  const edited = loadChapter(dir);
  assert.notEqual(edited, first);
  assert.deepEqual(edited.lessons[0]!.steps.map((s) => s.id), ['s1', 's2']);
  writeFileSync(join(dir, 'one', 'steps.yaml'), 'not: [a list');
  assert.throws(() => loadChapter(dir), LessonError);
  assert.throws(() => loadChapter(dir), LessonError, 'still reported on the next call');
});
