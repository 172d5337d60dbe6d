/**
 * Counts the SQL statements one request runs, by statement shape, so that an N+1 shows up as a
 * header in development and tests and as a warning in the log.
 */
export class QueryStats {
  #total = 0;
  readonly #byShape = new Map<string, number>();
  readonly #repeatThreshold: number;
  readonly #onRepeat: (shape: string, count: number) => void;

  constructor(options: { repeatThreshold: number; onRepeat: (shape: string, count: number) => void }) {
    this.#repeatThreshold = options.repeatThreshold;
    this.#onRepeat = options.onRepeat;
  }

  get total(): number {
    return this.#total;
  }

  record(sql: string): void {
    this.#total += 1;
    const shape = statementShape(sql);
    const count = (this.#byShape.get(shape) ?? 0) + 1;
    this.#byShape.set(shape, count);
    // Warn once per shape, when it first crosses the threshold.
    if (count === this.#repeatThreshold + 1) this.#onRepeat(shape, count);
  }
}

/** The statement with literals replaced, so `where id = 7` and `where id = 8` are one shape. */
export function statementShape(sql: string): string {
  return sql
    .replace(/'(?:[^']|'')*'/g, '?')
    .replace(/\$\d+/g, '?')
    .replace(/\b\d+(\.\d+)?\b/g, '?')
    .replace(/\s+/g, ' ')
    .trim();
}
