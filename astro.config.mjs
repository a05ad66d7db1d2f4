// The lab's site: Astro sources in site/, built to dist/ and served by `coredns-lab serve`
// (sandbox/server) through @astrojs/node in middleware mode.
import { defineConfig } from 'astro/config';
import node from '@astrojs/node';

export default defineConfig({
  srcDir: './site',
  publicDir: './site/public',
  outDir: './dist',
  output: 'static',
  adapter: node({ mode: 'middleware' }),
  devToolbar: { enabled: false },
  // The server's CSP allows scripts from files only ('self'), so nothing may be inlined.
  build: { inlineStylesheets: 'never' },
  vite: { build: { assetsInlineLimit: 0 } },
});
