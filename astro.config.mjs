// The lab's site: Astro sources in site/, built to dist/client/ and served as static files by
// `coredns-lab serve` (sandbox/server/app.ts). Every page is static, so there is no adapter and
// no server bundle: that halves the build, which `npm start` runs on a fresh clone.
import { defineConfig } from 'astro/config';

export default defineConfig({
  srcDir: './site',
  publicDir: './site/public',
  outDir: './dist/client',
  output: 'static',
  devToolbar: { enabled: false },
  // no network or image work at build time
  image: { service: { entrypoint: 'astro/assets/services/noop' } },
  // The server's CSP allows scripts from files only ('self'); styles may be inline (xterm.js
  // needs that), so the page's CSS is in its HTML: no stylesheet request before the first paint
  // and before the page's script may run.
  build: { inlineStylesheets: 'always' },
  vite: { build: { assetsInlineLimit: 0, reportCompressedSize: false } },
});
