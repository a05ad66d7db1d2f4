// The layering gate (`npm run depcruise`, run by .ci/run before the tests): the import rules the
// folders' README.md files state, as dependency-cruiser rules. Each rule's comment names the
// README it comes from; a rule here that no README states is a rule nobody can find.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Import cycles make load order matter and hide which module owns what (issue 15). A type-only import is erased at run time, so it cannot make a load-order cycle.',
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'dns-server-alone',
      severity: 'error',
      comment: 'dns-server/README.md: it ships alone as an image, so it imports nothing from the rest of the project (only Node and npm packages).',
      from: { path: '^dns-server/' },
      to: { path: '^(?!dns-server/|node_modules/)', dependencyTypesNot: ['core'] },
    },
    {
      name: 'sandbox-uses-dns-server-api',
      severity: 'error',
      comment: 'sandbox/README.md: dns-server/index.ts only (its public API); the CLI\'s dns-server command also runs dns-server/cli.ts.',
      from: { path: '^sandbox/' },
      to: { path: '^dns-server/', pathNot: '^dns-server/index\\.ts$|^dns-server/cli\\.ts$' },
    },
    {
      name: 'build-below-everything',
      severity: 'error',
      comment: 'build/README.md: the bundles read what they bundle as files; only dns-server/build.mjs (its own bundling) is imported.',
      from: { path: '^build/' },
      to: { path: '^(?!build/|node_modules/|dns-server/build\\.mjs$)', dependencyTypesNot: ['core'] },
    },
    {
      name: 'cluster-not-above-it',
      severity: 'error',
      comment: 'sandbox/README.md, sandbox/cluster/README.md: the embedded cluster is used by the CLI and the server, never the other way round.',
      from: { path: '^sandbox/cluster/' },
      to: { path: '^(sandbox/(cli|server|terminal|checks|providers)/|site/)' },
    },
    {
      name: 'sandbox-not-site',
      severity: 'error',
      comment: 'sandbox/README.md: the site talks to the sandbox over HTTP and WebSocket only, so nothing in sandbox/ imports site/.',
      from: { path: '^sandbox/' },
      to: { path: '^site/' },
    },
    {
      name: 'site-over-http-only',
      severity: 'error',
      comment: 'site/README.md: the page reaches the sandbox over HTTP/WS only; it may import the WebSocket contract (sandbox/terminal/protocol.ts) and, as types only, the lesson shapes (sandbox/checks/schema.ts). At build time (not scripts/) it also renders the lessons with the lesson schema and renderer (sandbox/checks/lesson-schema.ts, lesson-html.ts). It may also import the DNS panel\'s event shapes and path (sandbox/server/dns-panel/protocol.ts, no Node imports).',
      from: { path: '^site/' },
      to: {
        path: '^(sandbox|lessons|dns-server|build|bench|test)/',
        pathNot: '^sandbox/terminal/protocol\\.ts$|^sandbox/checks/schema\\.ts$|^sandbox/checks/lesson-(schema|html)\\.ts$|^sandbox/server/dns-panel/protocol\\.ts$',
      },
    },
    {
      name: 'site-scripts-no-lesson-rendering',
      severity: 'error',
      comment: 'site/README.md: the browser scripts get the lessons as server-rendered HTML; the schema (zod) and the renderer (micromark) stay out of the page\'s JavaScript.',
      from: { path: '^site/scripts/' },
      to: { path: '^sandbox/checks/lesson-(schema|html)\\.ts$|^node_modules/(micromark|zod)/' },
    },
    {
      name: 'site-lesson-shapes-as-types',
      severity: 'error',
      comment: 'site/README.md: sandbox/checks/schema.ts with `import type` only, so no sandbox code reaches the browser.',
      from: { path: '^site/' },
      to: { path: '^sandbox/checks/schema\\.ts$', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'checks-through-kubeconfig',
      severity: 'error',
      comment: 'sandbox/checks/README.md: the checks talk to any cluster through a kubeconfig, so nothing from sandbox/cluster/ (or the server, terminal, CLI).',
      from: { path: '^sandbox/checks/' },
      to: { path: '^sandbox/(cluster|server|terminal|cli|providers)/' },
    },
    {
      name: 'terminal-alone',
      severity: 'error',
      comment: 'sandbox/terminal/README.md: nothing from server/, cluster/ or site/.',
      from: { path: '^sandbox/terminal/' },
      to: { path: '^(sandbox/(server|cluster|cli|providers|checks)/|site/)' },
    },
    {
      name: 'server-through-providers',
      severity: 'error',
      comment: 'sandbox/server/README.md: the server reaches a cluster through the providers and the checks, never the embedded cluster or the CLI directly.',
      from: { path: '^sandbox/server/' },
      to: { path: '^sandbox/(cluster|cli)/' },
    },
    {
      name: 'providers-load-the-cluster-whole',
      severity: 'error',
      comment: 'sandbox/providers/README.md: only sandbox/cluster/cluster.ts (loaded lazily by up/reset) and auth/credentials.ts (the probe reads the state dir credentials).',
      from: { path: '^sandbox/providers/' },
      to: { path: '^sandbox/(cluster/(?!cluster\\.ts$|auth/credentials\\.ts$)|cli/|server/|terminal/|checks/)' },
    },
    {
      name: 'cluster-core-below-controllers',
      severity: 'error',
      comment: 'sandbox/cluster/README.md: api/ and store.ts never import controllers or runtimes (a PodRuntimeHost is passed in).',
      from: { path: '^sandbox/cluster/(api/|store\\.ts$|resources/|patch/|tables/)' },
      to: { path: '^sandbox/cluster/(controllers|runtimes)/' },
    },
    {
      name: 'lessons-are-data',
      severity: 'error',
      comment: 'lessons/README.md: it is data and imports nothing.',
      from: { path: '^lessons/' },
      to: {},
    },
    {
      name: 'nothing-imports-bench-or-tests',
      severity: 'error',
      comment: 'bench/README.md: nothing imports bench/; test/README.md: tests import the code, not the other way round (docs/ may use test/e2e/support/).',
      from: { pathNot: '^(bench|test)/|^docs/' },
      to: { path: '^(bench|test)/' },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'An import that resolves to nothing fails at run time; tsx would only say so when the line runs. (astro:* are Astro\'s virtual modules, resolved by its build.)',
      from: {},
      to: { couldNotResolve: true, pathNot: '^astro:' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // node_modules may be a symlink (worktrees share one): keep its modules under node_modules/
    preserveSymlinks: true,
    exclude: { path: '^(dist|node_modules|\\.astro|\\.cache|\\.coredns-lab|test/artifacts)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    // type-only imports are told apart, so site-lesson-shapes-as-types can allow exactly those
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.mts', '.mjs', '.js', '.d.ts', '.d.mts', '.json'],
    },
    skipAnalysisNotInRules: true,
  },
};
