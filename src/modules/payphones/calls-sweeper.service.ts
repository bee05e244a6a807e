import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { UnitOfWork } from '../../common/database/unit-of-work';
import { Clock } from '../../common/time/clock';
import { PeriodicJob } from '../../common/time/periodic-job';
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
  private readonly job = new PeriodicJob(this.logger, 'closing unreported calls', () =>
    this.sweepAndLog(),
  );

  constructor(
    private readonly env: Env,
    private readonly uow: UnitOfWork,
    private readonly calls: CallsRepository,
    private readonly closing: CallClosingService,
    private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    this.job.every(this.env.PAYPHONE_SWEEP_SECONDS);
  }

  onApplicationShutdown(): void {
    this.job.stop();
  }

  /** One run now (as the timer does). */
  tick(): Promise<number | null> {
    return this.job.tick();
  }

  private async sweepAndLog(): Promise<number> {
    const n = await this.sweep();
    if (n > 0) this.logger.log(`closed ${n} payphone call(s) never reported as ended`);
    return n;
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
