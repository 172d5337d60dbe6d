import { describe, expect, it } from 'vitest';
import { retryDelayMs, seededRandom, type RetryPolicy } from '@keel/kernel';

const policy: RetryPolicy = { maxAttempts: 10, baseDelayMs: 100, maxDelayMs: 10_000 };
const attempts = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
/** min(10 000, 100 × 2^(attempt−1)) for attempts 1..10: doubling until the cap from attempt 8 on. */
const backoff = [100, 200, 400, 800, 1_600, 3_200, 6_400, 10_000, 10_000, 10_000];

describe('MSG-007 the retry delay is capped exponential backoff minus up to 20 % jitter', () => {
  it('is min(max, base × 2^(attempt−1)) with no jitter drawn', () => {
    expect(attempts.map((attempt) => retryDelayMs(attempt, policy, () => 0))).toEqual(backoff);
  });

  it('subtracts the drawn share of 20 %: a draw of one half takes off 10 %', () => {
    expect(attempts.map((attempt) => retryDelayMs(attempt, policy, () => 0.5))).toEqual(backoff.map((delay) => delay * 0.9));
  });

  it('takes off at most 20 %, at the largest draw', () => {
    const largestDraw = () => 1 - Number.EPSILON;
    expect(attempts.map((attempt) => retryDelayMs(attempt, policy, largestDraw))).toEqual(backoff.map((delay) => delay * 0.8));
  });

  it('stays within [80 %, 100 %] of the backoff for seeded draws, and at the cap for very late attempts', () => {
    const random = seededRandom(42);
    for (const [index, attempt] of attempts.entries()) {
      const delay = retryDelayMs(attempt, policy, random);
      expect(delay).toBeGreaterThanOrEqual(backoff[index]! * 0.8);
      expect(delay).toBeLessThanOrEqual(backoff[index]!);
    }
    expect(retryDelayMs(5_000, policy, () => 0)).toBe(policy.maxDelayMs);
  });

  it('gives the same delays, run after run, for the same seed', () => {
    const delays = (seed: number) => {
      const random = seededRandom(seed);
      return attempts.map((attempt) => retryDelayMs(attempt, policy, random));
    };
    expect(delays(7)).toEqual(delays(7));
  });
});

describe('MSG-007 the seeded jitter source', () => {
  it('draws the same sequence for the same seed and another one for another seed', () => {
    expect(draws(7, 100)).toEqual(draws(7, 100));
    expect(draws(8, 100)).not.toEqual(draws(7, 100));
  });

  it('draws numbers in [0, 1) that vary', () => {
    const values = draws(123_456, 1_000);
    expect(values.every((value) => value >= 0 && value < 1)).toBe(true);
    expect(new Set(values).size).toBeGreaterThan(990);
  });
});

function draws(seed: number, count: number): number[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, () => random());
}
