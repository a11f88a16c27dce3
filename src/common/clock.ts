import { Global, Injectable, Module } from '@nestjs/common';
import { chinaDate } from './dates';

/**
 * "Today" for every rule with a period (publicity, arrears, idle funds, defect periods, dates not in the future):
 * one clock, injected, so a test can move it. Recorded timestamps (`created_at`, `approved_at`) stay the database's
 * `now()`: they say when something happened, not what day the rules see.
 */
@Injectable()
export class Clock {
  private fixed: Date | null = null;

  /** The instant the rules see. */
  now(): Date {
    return this.fixed ?? new Date();
  }

  /** Today's date in China (Asia/Shanghai), where every county keeps its books: YYYY-MM-DD. */
  today(): string {
    return chinaDate(this.now());
  }

  /**
   * Stops the clock at noon (China time) of `date`, or lets it run again with `null`. For tests only: nothing in
   * `src` calls it (test/architecture.spec.ts).
   */
  travelTo(date: string | null): void {
    this.fixed = date === null ? null : new Date(`${date}T12:00:00+08:00`);
  }
}

@Global()
@Module({ providers: [Clock], exports: [Clock] })
export class ClockModule {}
