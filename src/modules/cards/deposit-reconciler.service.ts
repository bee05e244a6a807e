import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Env } from '../../config/env.schema';
import { StripeDepositsService } from './stripe-deposits.service';

/** Every DEPOSIT_RECONCILE_SECONDS: ask Stripe about deposits still open. */
@Injectable()
export class DepositReconcilerService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(DepositReconcilerService.name);
  private timer?: NodeJS.Timeout;
  private running = false;

  constructor(
    private readonly env: Env,
    private readonly deposits: StripeDepositsService,
  ) {}

  onApplicationBootstrap(): void {
    if (this.env.DEPOSIT_RECONCILE_SECONDS === 0) return;
    this.timer = setInterval(() => void this.tick(), this.env.DEPOSIT_RECONCILE_SECONDS * 1000);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  async tick(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      const r = await this.deposits.reconcile(this.env.DEPOSIT_RECONCILE_AFTER_SECONDS);
      if (r.changed > 0)
        this.logger.log(`deposits reconciled with Stripe: ${r.changed} of ${r.checked} settled`);
    } catch (err) {
      this.logger.warn({ err: (err as Error).message }, 'deposit reconciliation failed');
    } finally {
      this.running = false;
    }
  }
}
