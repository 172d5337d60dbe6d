import { AppError, isDatabaseUnavailable } from '@keel/kernel';
import { CentralUnavailableError } from '../contracts/token-errors.ts';

/**
 * Runs `work`; when central's database cannot be reached on the way, fails with 503
 * CENTRAL_UNAVAILABLE (the promise of the token endpoint, which regions and clients retry), not a
 * 401 nor a 500. better-auth reports a failed session lookup as its own 500 error, with the
 * database's error as `cause`: the whole chain of causes is looked at.
 */
export async function orCentralUnavailable<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof AppError) && causes(error).some(isDatabaseUnavailable)) throw new CentralUnavailableError({ cause: error });
    throw error;
  }
}

function causes(error: unknown): unknown[] {
  const chain: unknown[] = [];
  for (let current = error; current !== undefined && !chain.includes(current); current = (current as { cause?: unknown } | null)?.cause) chain.push(current);
  return chain;
}
