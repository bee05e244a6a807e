import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Env } from '../../config/env.schema';
import { Clock } from '../../common/time/clock';
import { CheckpointRepository } from './checkpoint.repository';
import { CheckpointService } from './checkpoint.service';

/**
 * Every AUDIT_CHECKPOINT_SECONDS, the service takes and keeps a signed checkpoint of the whole
 * trail. Each instance runs the timer; one that finds a checkpoint kept less than half a period
 * ago by another leaves it at that.
 */
@Injectable()
export class CheckpointSchedulerService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(CheckpointSchedulerService.name);
  private timer?: NodeJS.Timeout;
  private running = false;

  constructor(
    private readonly env: Env,
    private readonly checkpoints: CheckpointService,
    private readonly repo: CheckpointRepository,
    private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    if (this.env.AUDIT_CHECKPOINT_SECONDS === 0) return;
    this.timer = setInterval(() => void this.tick(), this.env.AUDIT_CHECKPOINT_SECONDS * 1000);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** Takes one unless one was taken on schedule within the last half period. Returns its id. */
  async tick(): Promise<string | null> {
    if (this.running) return null;
    this.running = true;
    try {
      const last = await this.repo.lastScheduled();
      const halfPeriodMs = (this.env.AUDIT_CHECKPOINT_SECONDS * 1000) / 2;
      if (last && this.clock.now().getTime() - last.getTime() < halfPeriodMs) return null;
      const cp = await this.checkpoints.take(null);
      this.logger.log(
        `audit checkpoint ${cp.id} kept: ${cp.chains.length} chains, root ${cp.rootHash}`,
      );
      return cp.id;
    } catch (err) {
      this.logger.warn({ err: (err as Error).message }, 'audit checkpoint failed');
      return null;
    } finally {
      this.running = false;
    }
  }
}
