import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { UnitOfWork } from '../../common/database/unit-of-work';
import { Clock } from '../../common/time/clock';
import { Env } from '../../config/env.schema';
import { CallClosingService } from './call-closing.service';
import { CallsRepository } from './calls.repository';
import { UNREPORTED_GRACE_SECONDS } from './domain/call.rules';

const BATCH = 100;

/**
 * Every PAYPHONE_SWEEP_SECONDS: closes the calls whose end was never reported, once past their
 * maximum duration and the grace period — the hold released, nothing charged, flagged
 * `unreported`. A call decision for the same prisoner does the same for their own call at once.
 */
@Injectable()
export class CallsSweeperService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(CallsSweeperService.name);
  private timer?: NodeJS.Timeout;
  private running = false;

  constructor(
    private readonly env: Env,
    private readonly uow: UnitOfWork,
    private readonly calls: CallsRepository,
    private readonly closing: CallClosingService,
    private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    if (this.env.PAYPHONE_SWEEP_SECONDS === 0) return;
    this.timer = setInterval(() => void this.tick(), this.env.PAYPHONE_SWEEP_SECONDS * 1000);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  async tick(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      const n = await this.sweep();
      if (n > 0) this.logger.log(`closed ${n} payphone call(s) never reported as ended`);
    } catch (err) {
      this.logger.warn({ err: (err as Error).message }, 'closing unreported calls failed');
    } finally {
      this.running = false;
    }
  }

  /** Closes the overdue calls now; how many. */
  async sweep(): Promise<number> {
    const before = new Date(this.clock.now().getTime() - UNREPORTED_GRACE_SECONDS * 1000);
    let closed = 0;
    for (const due of await this.calls.overdue(before, BATCH)) {
      closed += await this.uow.run(async () => {
        await this.calls.lockPrisoner(due.prisonerId);
        const c = await this.calls.findForUpdate(due.id);
        if (c?.status !== 'in-progress') return 0;
        await this.closing.close(c, 'unreported', 'never reported as ended', null);
        return 1;
      });
    }
    return closed;
  }
}
