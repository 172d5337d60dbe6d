import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { checkSpecs } from './check-specs.ts';
import { specsCheckCommand } from './command.ts';

// Rule ids appear only in fixtures and expected problems: an id in a title here would be
// read as a citation when the checker runs over this repository.
const validRepo = fileURLToPath(new URL('./fixtures/valid-repo', import.meta.url));
const brokenRepo = fileURLToPath(new URL('./fixtures/broken-repo', import.meta.url));

describe('checkSpecs on a valid repo', () => {
  it('reports no problems and summarises files, rules to prove and proven rules', async () => {
    // 6 active rules of the active spec plus 2 of the draft one; the deprecated rule is not counted.
    expect(await checkSpecs({ rootDir: validRepo })).toEqual({
      problems: [],
      summary: 'specs: 2 files, 8 rules, 7 proven',
    });
  });

  describe('with test files in excluded directories', () => {
    let repoCopy: string;
    afterEach(() => rm(repoCopy, { recursive: true, force: true }));

    it('ignores node_modules and .data', async () => {
      repoCopy = await mkdtemp(path.join(tmpdir(), 'keel-specs-'));
      await cp(validRepo, repoCopy, { recursive: true });
      for (const directory of ['node_modules/some-package', '.data']) {
        await mkdir(path.join(repoCopy, directory), { recursive: true });
        await writeFile(path.join(repoCopy, directory, 'unknown.test.ts'), "it('ZZZ-997 unknown', () => {});\n");
      }
      expect((await checkSpecs({ rootDir: repoCopy })).problems).toEqual([]);
    });
  });
});

describe('checkSpecs on a broken repo', () => {
  const expectedProblems = [
    { condition: 'missing front matter', problem: 'specs/no-front-matter.md:1: missing or unclosed front matter ("---" lines at the top of the file)' },
    { condition: 'missing front matter key', problem: 'specs/missing-key.md:1: front matter "status": is required' },
    { condition: 'empty title', problem: 'specs/bad-front-matter.md:2: front matter "title": must not be empty' },
    { condition: 'bounded context not kebab-case', problem: 'specs/bad-front-matter.md:3: front matter "bounded-context": must be kebab-case' },
    { condition: 'unknown status', problem: 'specs/bad-front-matter.md:4: front matter "status": Invalid option: expected one of "draft"|"active"|"deprecated"' },
    { condition: 'review date in the future', problem: 'specs/bad-front-matter.md:5: front matter "last-reviewed": must not be in the future' },
    { condition: 'unknown front matter key', problem: 'specs/bad-front-matter.md:6: front matter has unknown key "owner"' },
    { condition: 'active spec without edge cases', problem: 'specs/billing.md:1: an active spec must have a "## Edge cases" section' },
    { condition: 'rule without keyword', problem: 'specs/billing.md:11: rule BIL-002 needs one of the keywords MUST, MUST NOT, CANNOT, ALWAYS, NEVER' },
    { condition: 'malformed rule line', problem: 'specs/billing.md:12: malformed rule line; expected "- **ABC-123** <text with MUST/MUST NOT/CANNOT/ALWAYS/NEVER>"' },
    { condition: 'active rule without a test', problem: 'specs/billing.md:13: rule BIL-004 has no test naming it' },
    { condition: 'duplicate active rule without a test', problem: 'specs/billing.md:14: rule SHP-001 has no test naming it' },
    { condition: 'duplicate rule id', problem: 'specs/no-front-matter.md:3: rule SHP-001 is already defined at specs/billing.md:14' },
    { condition: 'test naming an undefined rule', problem: 'packages/app/src/billing.test.ts:6: test title names rule BIL-404, which no spec defines' },
  ];
  let problems: string[];
  beforeAll(async () => {
    ({ problems } = await checkSpecs({ rootDir: brokenRepo }));
  });

  it.each(expectedProblems)('reports $condition with file and line', ({ problem }) => {
    expect(problems).toContain(problem);
  });

  it('reports nothing else', () => {
    expect(problems.toSorted()).toEqual(expectedProblems.map(({ problem }) => problem).toSorted());
  });
});

describe('specsCheckCommand', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('prints the summary and exits 0 when the specs hold', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    expect(await specsCheckCommand(validRepo)).toBe(0);
    expect(log).toHaveBeenCalledWith('specs: 2 files, 8 rules, 7 proven');
  });

  it('prints one line per problem to stderr and exits 1 otherwise', async () => {
    vi.spyOn(console, 'log').mockImplementation(() => {});
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    expect(await specsCheckCommand(brokenRepo)).toBe(1);
    expect(error).toHaveBeenCalledWith('specs/billing.md:12: malformed rule line; expected "- **ABC-123** <text with MUST/MUST NOT/CANNOT/ALWAYS/NEVER>"');
    expect(error).toHaveBeenLastCalledWith('specs check failed: 14 problems');
  });
});
