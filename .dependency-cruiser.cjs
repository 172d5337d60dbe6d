// Layer rule: dependencies point toward central and never back.
//   kernel <- central (<- only via central/contracts) <- regional, edge <- cli
// The web app (packages/web) stands apart: it talks to Keel over HTTP only.
//
// Every rule matches *resolved* paths relative to the cruise's baseDir
// (`packages/<name>/...`), never the import specifier. With
// preserveSymlinks: false, `@keel/x` resolves through node_modules/@keel/x to
// packages/x, so `@keel/central/...` and `../../central/src/...` hit the same
// rules. test/architecture/layer-rule.test.ts cruises a fixture tree with its
// own baseDir against these same rules.

/** Test files and test support may import anything (layer rules only). */
const TESTS = ['\\.test\\.ts$', '(^|/)test/', '(^|/)fixtures/'];

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'kernel-imports-no-keel-package',
      comment: 'kernel is the bottom layer: it imports no other package of ours.',
      severity: 'error',
      from: { path: '^packages/kernel/', pathNot: TESTS },
      to: { path: '^packages/(?!kernel/)[^/]+/' },
    },
    {
      // Allow-list rather than deny-list so a new package (web, infra, ...)
      // is forbidden to central until someone decides otherwise here.
      name: 'central-imports-only-kernel',
      comment: 'central may import kernel only; never regional, edge, cli, web, infra.',
      severity: 'error',
      from: { path: '^packages/central/', pathNot: TESTS },
      to: { path: '^packages/(?!(central|kernel)/)[^/]+/' },
    },
    {
      name: 'regional-edge-only-central-contracts',
      comment:
        'regional and edge may import central only through its contracts entry point ' +
        '(@keel/central/contracts, packages/central/src/contracts/**).',
      severity: 'error',
      from: { path: '^packages/(regional|edge)/', pathNot: TESTS },
      to: { path: '^packages/central/', pathNot: '^packages/central/src/contracts/' },
    },
    {
      name: 'regional-edge-not-each-other',
      comment: 'regional and edge never import each other.',
      severity: 'error',
      from: { path: '^packages/(regional|edge)/', pathNot: TESTS },
      to: { path: '^packages/(regional|edge)/', pathNot: '^packages/$1/' },
    },
    {
      name: 'nothing-imports-cli',
      comment: 'cli is the top: no other package imports it.',
      severity: 'error',
      from: { path: '^packages/(?!cli/)[^/]+/', pathNot: TESTS },
      to: { path: '^packages/cli/' },
    },
    {
      name: 'web-imports-no-other-package',
      comment: 'The web app talks to Keel over HTTP only: it imports no other package of ours, not even types.',
      severity: 'error',
      from: { path: '^packages/web/', pathNot: TESTS },
      to: { path: '^packages/(?!web/)[^/]+/' },
    },
    {
      name: 'nothing-imports-web',
      comment: 'No package imports the web app (the edge serves its built files, it does not import them).',
      severity: 'error',
      from: { path: '^packages/(?!web/)[^/]+/' },
      to: { path: '^packages/web/' },
    },
    {
      // Deliberately also applies to test files: the fix is always to import
      // by package name, which then goes through the package's exports.
      name: 'no-relative-cross-package',
      comment:
        "Import another package by name (@keel/x), never by relative path into its files.",
      severity: 'error',
      from: { path: '^packages/([^/]+)/' },
      to: { path: '^packages/', pathNot: '^packages/$1/', dependencyTypes: ['local'] },
    },
    {
      // Also catches deep imports such as `@keel/central/src/x.ts`, which the
      // package's `exports` map makes unresolvable.
      name: 'not-to-unresolvable',
      comment: 'Import resolves to nothing (typo, or path not exported by the package).',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
    {
      // Type-only cycles are erased at runtime, so only cycles with at least
      // one runtime import are flagged. Cross-package cycles are already
      // impossible under the layer rules, so this is in practice intra-package.
      name: 'no-circular',
      comment: 'Runtime import cycle: ESM evaluates one side before the other (TDZ errors).',
      severity: 'error',
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Fixture trees contain deliberate violations (see test/architecture); the web app's build
    // output is generated code.
    exclude: { path: '(^|/)fixtures/|^packages/web/dist/' },
    // Count `import type` too: a type-only import of central internals still
    // couples regional/edge to them.
    tsPreCompilationDeps: true,
    preserveSymlinks: false,
    enhancedResolveOptions: {
      // Resolve @keel/* through package.json "exports" like Node does, so
      // @keel/central/contracts works and non-exported deep paths do not.
      exportsFields: ['exports'],
      conditionNames: ['import', 'types', 'node', 'default'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
  },
};
