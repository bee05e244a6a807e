import { Logger } from '@nestjs/common';

/**
 * Work a service does every so many seconds in the background: one run at a time (a tick that
 * finds the last still running does nothing), the timer never keeps the process alive, a failure
 * is logged as a warning and waits for the next tick. `every(0)` turns it off.
 */
export class PeriodicJob<T> {
  private timer?: NodeJS.Timeout;
  private running = false;

  constructor(
    private readonly logger: Logger,
    /** What failed, for the warning: "deposit reconciliation". */
    private readonly what: string,
    private readonly work: () => Promise<T | null>,
  ) {}

  every(seconds: number): void {
    if (seconds === 0) return;
    this.timer = setInterval(() => void this.tick(), seconds * 1000);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** Runs the work now, unless a run is under way; its result, or null when it did not run or failed. */
  async tick(): Promise<T | null> {
    if (this.running) return null;
    this.running = true;
    try {
      return await this.work();
    } catch (err) {
      this.logger.warn({ err: (err as Error).message }, `${this.what} failed`);
      return null;
    } finally {
      this.running = false;
    }
  }
}
