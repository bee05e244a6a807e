import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { PeriodicJob } from '../../common/time/periodic-job';
import { Env } from '../../config/env.schema';
import { StripeDepositsService } from './stripe-deposits.service';

/** Every DEPOSIT_RECONCILE_SECONDS: ask Stripe about deposits still open. */
@Injectable()
export class DepositReconcilerService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(DepositReconcilerService.name);
  private readonly job = new PeriodicJob(this.logger, 'deposit reconciliation', () =>
    this.reconcile(),
  );

  constructor(
    private readonly env: Env,
    private readonly deposits: StripeDepositsService,
  ) {}

  onApplicationBootstrap(): void {
    this.job.every(this.env.DEPOSIT_RECONCILE_SECONDS);
  }

  onApplicationShutdown(): void {
    this.job.stop();
  }

  /** One run now (as the timer does). */
  tick(): Promise<number | null> {
    return this.job.tick();
  }

  private async reconcile(): Promise<number> {
    const r = await this.deposits.reconcile(this.env.DEPOSIT_RECONCILE_AFTER_SECONDS);
    if (r.changed > 0)
      this.logger.log(`deposits reconciled with Stripe: ${r.changed} of ${r.checked} settled`);
    return r.changed;
  }
}
