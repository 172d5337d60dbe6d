import { cpSync, mkdirSync, mkdtempSync, readdirSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cruise } from 'dependency-cruiser';
import type { ICruiseOptions, ICruiseResult } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repoRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
const fixturePackages = fileURLToPath(new URL('./fixtures/packages', import.meta.url));

async function loadOptions(): Promise<ICruiseOptions> {
  return extractDepcruiseOptions(join(repoRoot, '.dependency-cruiser.cjs'));
}

async function cruiseTree(baseDir: string, overrides: ICruiseOptions = {}): Promise<ICruiseResult> {
  const options = { ...(await loadOptions()), ...overrides, baseDir };
  const { output } = await cruise(['packages'], options);
  if (typeof output === 'string') throw new Error('expected a JSON cruise result');
  return output;
}

const edge = (from: string, to: string): string => `${from} -> ${to}`;

function violationsOf(result: ICruiseResult): string[] {
  return result.summary.violations.map((v) => `${v.rule.name}: ${edge(v.from, v.to)}`).sort();
}

/** [rule, from, resolved to] — relative to the fixture's baseDir. */
const EXPECTED_VIOLATIONS: Array<[string, string, string]> = [
  ['kernel-imports-no-keel-package', 'packages/kernel/src/bad-name-central.ts', 'packages/central/src/index.ts'],
  ['kernel-imports-no-keel-package', 'packages/kernel/src/bad-relative-central.ts', 'packages/central/src/index.ts'],
  // type-only imports count (tsPreCompilationDeps)
  ['kernel-imports-no-keel-package', 'packages/kernel/src/bad-type-contracts.ts', 'packages/central/src/contracts/index.ts'],

  ['central-imports-only-kernel', 'packages/central/src/bad-name-regional.ts', 'packages/regional/src/index.ts'],
  ['central-imports-only-kernel', 'packages/central/src/bad-relative-edge.ts', 'packages/edge/src/index.ts'],
  ['central-imports-only-kernel', 'packages/central/src/bad-cli.ts', 'packages/cli/src/index.ts'],

  ['regional-edge-only-central-contracts', 'packages/regional/src/bad-name-central-root.ts', 'packages/central/src/index.ts'],
  ['regional-edge-only-central-contracts', 'packages/regional/src/bad-type-central-internal.ts', 'packages/central/src/internal.ts'],
  ['regional-edge-only-central-contracts', 'packages/edge/src/bad-reexport-central.ts', 'packages/central/src/index.ts'],
  ['regional-edge-only-central-contracts', 'packages/edge/src/bad-dynamic-central.ts', 'packages/central/src/index.ts'],

  ['regional-edge-not-each-other', 'packages/regional/src/bad-edge.ts', 'packages/edge/src/index.ts'],
  ['regional-edge-not-each-other', 'packages/edge/src/bad-relative-regional.ts', 'packages/regional/src/index.ts'],

  ['nothing-imports-cli', 'packages/central/src/bad-cli.ts', 'packages/cli/src/index.ts'],
  ['nothing-imports-cli', 'packages/regional/src/bad-cli.ts', 'packages/cli/src/index.ts'],

  ['no-relative-cross-package', 'packages/kernel/src/bad-relative-central.ts', 'packages/central/src/index.ts'],
  ['no-relative-cross-package', 'packages/central/src/bad-relative-edge.ts', 'packages/edge/src/index.ts'],
  ['no-relative-cross-package', 'packages/edge/src/bad-relative-regional.ts', 'packages/regional/src/index.ts'],
  ['no-relative-cross-package', 'packages/regional/src/bad-type-central-internal.ts', 'packages/central/src/internal.ts'],
  // allowed target, forbidden route
  ['no-relative-cross-package', 'packages/regional/src/bad-relative-contracts.ts', 'packages/central/src/contracts/index.ts'],

  // not in @keel/central's "exports"
  ['not-to-unresolvable', 'packages/regional/src/bad-deep-name.ts', '@keel/central/src/internal.ts'],

  ['no-circular', 'packages/central/src/bad-cycle-a.ts', 'packages/central/src/bad-cycle-b.ts'],
];

/** [from, import specifier, resolved to] — imports that must resolve and not be reported. */
const ALLOWED: Array<[string, string, string]> = [
  ['packages/kernel/src/index.ts', './util.ts', 'packages/kernel/src/util.ts'],
  ['packages/central/src/index.ts', '@keel/kernel', 'packages/kernel/src/index.ts'],
  ['packages/central/src/index.ts', './internal.ts', 'packages/central/src/internal.ts'],
  ['packages/central/src/contracts/index.ts', '@keel/kernel', 'packages/kernel/src/index.ts'],
  ['packages/central/src/type-cycle-b.ts', './type-cycle-a.ts', 'packages/central/src/type-cycle-a.ts'],
  ['packages/central/src/type-cycle-a.ts', './type-cycle-b.ts', 'packages/central/src/type-cycle-b.ts'],
  ['packages/regional/src/index.ts', '@keel/central/contracts', 'packages/central/src/contracts/index.ts'],
  ['packages/regional/src/index.ts', '@keel/kernel', 'packages/kernel/src/index.ts'],
  ['packages/edge/src/index.ts', '@keel/central/contracts', 'packages/central/src/contracts/index.ts'],
  ['packages/cli/src/index.ts', '@keel/central', 'packages/central/src/index.ts'],
  ['packages/cli/src/index.ts', '@keel/regional', 'packages/regional/src/index.ts'],
  ['packages/cli/src/index.ts', '@keel/edge', 'packages/edge/src/index.ts'],
  ['packages/cli/src/index.ts', '@keel/kernel', 'packages/kernel/src/index.ts'],
  // test support is exempt from the layer rules
  ['packages/kernel/test/support.ts', '@keel/central', 'packages/central/src/index.ts'],
  ['packages/regional/test/support.ts', '@keel/central', 'packages/central/src/index.ts'],
  ['packages/regional/test/support.ts', '@keel/edge', 'packages/edge/src/index.ts'],
];

describe('PLT-012 layer rule (.dependency-cruiser.cjs) on the fixture tree', () => {
  // The fixture is copied to a temp workspace with node_modules/@keel/* symlinks,
  // as npm workspaces lay it out, so imports by package name resolve through
  // the symlinks exactly like in the real repo.
  let workspace: string;
  let result: ICruiseResult;

  beforeAll(async () => {
    workspace = realpathSync(mkdtempSync(join(tmpdir(), 'keel-layer-rule-')));
    cpSync(fixturePackages, join(workspace, 'packages'), { recursive: true });
    mkdirSync(join(workspace, 'node_modules/@keel'), { recursive: true });
    for (const name of readdirSync(join(workspace, 'packages'))) {
      symlinkSync(`../../packages/${name}`, join(workspace, 'node_modules/@keel', name), 'dir');
    }
    result = await cruiseTree(workspace);
  }, 60_000);

  afterAll(() => {
    if (workspace) rmSync(workspace, { recursive: true, force: true });
  });

  it.each(EXPECTED_VIOLATIONS)('%s: %s -> %s', (rule, from, to) => {
    expect(violationsOf(result)).toContain(`${rule}: ${edge(from, to)}`);
  });

  it('reports no violation beyond the expected ones', () => {
    const expected = EXPECTED_VIOLATIONS.map(([rule, from, to]) => `${rule}: ${edge(from, to)}`).sort();
    expect(violationsOf(result)).toEqual(expected);
    expect(result.summary.violations.every((v) => v.rule.severity === 'error')).toBe(true);
  });

  it.each(ALLOWED)('allows %s -> %s', (from, specifier, to) => {
    const dependency = result.modules
      .find((m) => m.source === from)
      ?.dependencies.find((d) => d.module === specifier);
    expect(dependency?.resolved).toBe(to);
    expect(dependency?.valid).toBe(true);
  });

  it('resolves @keel/* through the node_modules symlink to packages/* (preserveSymlinks: false)', async () => {
    const options = await loadOptions();
    expect(options.preserveSymlinks).toBe(false);

    // Counter-check: with symlinks preserved the same import lands in
    // node_modules/, where no ^packages/ rule would see it.
    const preserved = await cruiseTree(workspace, { preserveSymlinks: true });
    const resolved = preserved.modules
      .find((m) => m.source === 'packages/kernel/src/bad-name-central.ts')
      ?.dependencies.find((d) => d.module === '@keel/central')?.resolved;
    expect(resolved).toBe('node_modules/@keel/central/src/index.ts');
  }, 60_000);
});

describe('PLT-012 layer rule on the real packages/ tree', () => {
  let result: ICruiseResult;

  beforeAll(async () => {
    result = await cruiseTree(repoRoot);
  }, 60_000);

  it('has no violations', () => {
    expect(violationsOf(result)).toEqual([]);
  });

  it('resolves every @keel/* import to a file under packages/', () => {
    const escaped = result.modules.flatMap((m) =>
      m.dependencies
        .filter((d) => d.module.startsWith('@keel/') && !d.resolved.startsWith('packages/'))
        .map((d) => `${m.source}: ${d.module} -> ${d.resolved}`),
    );
    expect(escaped).toEqual([]);
  });
});
