// The lesson pages as a browser without JavaScript gets them: the lesson's prose and an anchor per
// step are in the HTML the lab server sends for /lessons/<lesson>/. And an edited lesson shows on
// the next request without a rebuild: the server renders lessons/ again with the build's renderer
// once it is newer than the build.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLabServer, type LabServer } from '../../../sandbox/server/lab-server.ts';
import { lessonPage } from '../../../sandbox/server/lesson-pages.ts';
import { STAMP } from '../../../sandbox/server/site-build.ts';
import { renderLessonList } from '../../../sandbox/checks/lesson-html.ts';
import { LESSONS_DIR, loadChapter } from '../../../sandbox/checks/load-lessons.ts';

/** a built site as `astro build` lays it out: the start page and one page per lesson, then the stamp */
function buildFixture(dist: string, lessonsDir: string, at: number): void {
  const chapter = loadChapter(lessonsDir);
  const page = (open: string) =>
    `<!doctype html><html><head><title>${open} · coredns-lab</title></head><body><span data-topbar-title>${chapter.title}</span>` +
    `<h1 data-chapter-title>${chapter.title}</h1><ol data-lesson-list>${renderLessonList(chapter, open)}</ol></body></html>`;
  mkdirSync(join(dist, 'client'), { recursive: true });
  writeFileSync(join(dist, 'client', 'index.html'), page(chapter.lessons[0]!.id));
  for (const l of chapter.lessons) {
    mkdirSync(join(dist, 'client', 'lessons', l.id), { recursive: true });
    writeFileSync(join(dist, 'client', 'lessons', l.id, 'index.html'), page(l.id));
  }
  writeFileSync(join(dist, STAMP), 'built\n');
  utimesSync(join(dist, STAMP), at, at);
}

const html = (p: ReturnType<typeof lessonPage>) => ('file' in p ? readFileSync(p.file, 'utf8') : p.html);

describe('lesson pages', () => {
  let dir: string;
  let server: LabServer;
  let cookie: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lab-pages-'));
    // built "in the future", so the repository's lessons/ counts as unchanged since the build
    buildFixture(join(dir, 'dist'), LESSONS_DIR, Date.now() / 1000 + 3600);
    server = await startLabServer({ host: '127.0.0.1', port: 0, stateDir: join(dir, 'state'), idleTimeoutMs: 60_000, siteDist: join(dir, 'dist') });
    const r = await fetch(`http://127.0.0.1:${server.port}/?token=${server.token}`, { redirect: 'manual' });
    cookie = (r.headers.getSetCookie() ?? []).map((c) => c.split(';')[0]).join('; ');
  });
  after(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('/lessons/<lesson>/ holds the lesson prose and an anchor per step, with no script needed', async () => {
    const chapter = loadChapter();
    const res = await fetch(`http://127.0.0.1:${server.port}/lessons/status-quo/`, { headers: { cookie } });
    assert.equal(res.status, 200);
    const body = await res.text();
    const lesson = chapter.lessons.find((l) => l.id === 'status-quo')!;
    assert.ok(body.includes('Before changing anything, look at how name resolution works now'), 'the intro is in the HTML');
    assert.match(body, /<strong>Service<\/strong>/, 'its Markdown is rendered');
    for (const s of lesson.steps) {
      assert.match(body, new RegExp(`<li class="step" id="${s.id}" data-step-id="status-quo/${s.id}"`), `step ${s.id} is an anchor`);
    }
    // the open lesson is not hidden; the others are, and their steps are no anchors (ids repeat)
    assert.match(body, /<div class="section-content" id="lesson-status-quo">/);
    assert.match(body, /<div class="section-content" id="lesson-deploy-coredns" hidden>/);
    assert.doesNotMatch(body, /id="create"/);
    const unknown = await fetch(`http://127.0.0.1:${server.port}/lessons/no-such/`, { headers: { cookie, accept: 'text/html' } });
    assert.equal(unknown.status, 404);
    assert.match(await unknown.text(), /The lessons are: prerequisites, status-quo/);
  });

  test('an edited lesson shows on the next request, rendered like the built page', () => {
    const lessons = join(dir, 'lessons');
    cpSync(LESSONS_DIR, lessons, { recursive: true });
    const dist = join(dir, 'dist-edit');
    // the copy's files are new: the build is stamped after them, the edits after the build
    const built = Date.now() / 1000 + 60;
    buildFixture(dist, lessons, built);
    const before = lessonPage(dist, 'status-quo', lessons);
    assert.ok('file' in before, 'unchanged lessons: the built page as it is');

    const md = join(lessons, 'status-quo', 'lesson.md');
    writeFileSync(md, readFileSync(md, 'utf8').replace('Before changing anything', 'EDITED: before changing anything'));
    const steps = join(lessons, 'status-quo', 'steps.yaml');
    writeFileSync(steps, readFileSync(steps, 'utf8').replace(/title: .*/, 'title: An edited step title'));
    for (const f of [md, steps]) utimesSync(f, built + 60, built + 60);
    const afterEdit = lessonPage(dist, 'status-quo', lessons);
    assert.ok('html' in afterEdit, 'an edit after the build: rendered again');
    const body = html(afterEdit);
    assert.ok(body.includes('EDITED: before changing anything'));
    assert.ok(body.includes('An edited step title'));
    assert.match(body, /<title>Status Quo · Using CoreDNS for Service Discovery · coredns-lab<\/title>/);
    // apart from the edits, the same markup the build made
    const rebuilt = join(dir, 'dist-rebuilt');
    buildFixture(rebuilt, lessons, built + 120);
    const fresh = readFileSync(join(rebuilt, 'client', 'lessons', 'status-quo', 'index.html'), 'utf8');
    const list = (s: string) => s.slice(s.indexOf('<!--lab:lessons-->'), s.indexOf('<!--/lab:lessons-->'));
    assert.equal(list(body), list(fresh));

    // a broken edit is the loader's error, naming the file
    writeFileSync(steps, '- id: Bad_Id\n');
    assert.throws(() => lessonPage(dist, 'status-quo', lessons), /steps\.yaml \(step Bad_Id\): "id": use lower case/);
  });
});
