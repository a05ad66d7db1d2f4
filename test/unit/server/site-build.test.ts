// When serve rebuilds the site: missing dist, a stamp older than a source, or fresh.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { siteLayout, staleReason } from '../../../sandbox/server/site-build.ts';

describe('staleReason', () => {
  let root: string;
  before(() => {
    root = mkdtempSync(join(tmpdir(), 'lab-site-'));
    mkdirSync(join(root, 'site', 'pages'), { recursive: true });
    mkdirSync(join(root, 'lessons'), { recursive: true });
    writeFileSync(join(root, 'site', 'pages', 'index.astro'), '---\n---\n');
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  const setTime = (path: string, seconds: number) => utimesSync(path, seconds, seconds);

  test('no dist is stale', () => {
    assert.equal(staleReason(siteLayout(root)), 'no built site yet');
  });

  test('a dist with its stamp newer than every source is fresh', () => {
    mkdirSync(join(root, 'dist', 'client'), { recursive: true });
    writeFileSync(join(root, 'dist', 'client', 'index.html'), '');
    writeFileSync(join(root, 'dist', '.lab-build-stamp'), '');
    setTime(join(root, 'site', 'pages', 'index.astro'), 1000);
    setTime(join(root, 'site', 'pages'), 1000);
    setTime(join(root, 'site'), 1000);
    setTime(join(root, 'lessons'), 1000);
    setTime(join(root, 'dist', '.lab-build-stamp'), 2000);
    assert.equal(staleReason(siteLayout(root)), null);
  });

  test('a source edited after the build makes it stale and is named', () => {
    setTime(join(root, 'site', 'pages', 'index.astro'), 3000);
    assert.equal(staleReason(siteLayout(root)), 'site/pages/index.astro changed since the last build');
    // the CLI passes its root with a trailing slash (a URL's path); the name must not lose a letter
    assert.equal(staleReason(siteLayout(`${root}/`)), 'site/pages/index.astro changed since the last build');
  });

  test('a new file under site/ makes it stale', () => {
    setTime(join(root, 'site', 'pages', 'index.astro'), 1000);
    writeFileSync(join(root, 'site', 'pages', 'new.astro'), '---\n---\n');
    setTime(join(root, 'site', 'pages', 'new.astro'), 4000);
    setTime(join(root, 'site', 'pages'), 1000);
    assert.match(staleReason(siteLayout(root)) ?? '', /site\/pages\/new.astro changed/);
    rmSync(join(root, 'site', 'pages', 'new.astro'));
    setTime(join(root, 'site', 'pages'), 1000);
  });

  test('what the page does not read (lessons/, package-lock.json) never makes it stale', () => {
    writeFileSync(join(root, 'lessons', 'step.md'), '# x');
    setTime(join(root, 'lessons', 'step.md'), 5000);
    setTime(join(root, 'lessons'), 5000);
    writeFileSync(join(root, 'package-lock.json'), '{}');
    setTime(join(root, 'package-lock.json'), 5000);
    assert.equal(staleReason(siteLayout(root)), null);
  });

  test('an installed site package newer than the build makes it stale', () => {
    mkdirSync(join(root, 'node_modules', '@xterm', 'xterm'), { recursive: true });
    writeFileSync(join(root, 'node_modules', '@xterm', 'xterm', 'package.json'), '{}');
    setTime(join(root, 'node_modules', '@xterm', 'xterm', 'package.json'), 6000);
    assert.match(staleReason(siteLayout(root)) ?? '', /node_modules\/@xterm\/xterm\/package.json changed/);
  });
});
