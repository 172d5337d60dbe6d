import { checkSpecs } from './check-specs.ts';

/** Runs `specs check`: problems go to stderr, the summary to stdout; returns the process exit code. */
export async function specsCheckCommand(rootDir: string): Promise<number> {
  const { problems, summary } = await checkSpecs({ rootDir });
  for (const problem of problems) console.error(problem);
  console.log(summary);
  if (problems.length === 0) return 0;
  console.error(`specs check failed: ${problems.length} problem${problems.length === 1 ? '' : 's'}`);
  return 1;
}
