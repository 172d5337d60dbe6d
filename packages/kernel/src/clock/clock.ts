/** Time comes from here, so tests control it instead of waiting. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock that moves only when told to. */
export class ManualClock implements Clock {
  #now: Date;

  constructor(start: Date = new Date('2026-01-01T00:00:00.000Z')) {
    this.#now = new Date(start);
  }

  now(): Date {
    return new Date(this.#now);
  }

  advance(milliseconds: number): void {
    this.#now = new Date(this.#now.getTime() + milliseconds);
  }

  set(instant: Date): void {
    this.#now = new Date(instant);
  }
}
