import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { PeriodicJob } from '../../common/time/periodic-job';
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
  private readonly job = new PeriodicJob(this.logger, 'audit checkpoint', () => this.takeIfDue());

  constructor(
    private readonly env: Env,
    private readonly checkpoints: CheckpointService,
    private readonly repo: CheckpointRepository,
    private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    this.job.every(this.env.AUDIT_CHECKPOINT_SECONDS);
  }

  onApplicationShutdown(): void {
    this.job.stop();
  }

  /** Takes one unless one was taken on schedule within the last half period. Returns its id. */
  tick(): Promise<string | null> {
    return this.job.tick();
  }

  private async takeIfDue(): Promise<string | null> {
    const last = await this.repo.lastScheduled();
    const halfPeriodMs = (this.env.AUDIT_CHECKPOINT_SECONDS * 1000) / 2;
    if (last && this.clock.now().getTime() - last.getTime() < halfPeriodMs) return null;
    const cp = await this.checkpoints.take(null);
    this.logger.log(
      `audit checkpoint ${cp.id} kept: ${cp.chains.length} chains, root ${cp.rootHash}`,
    );
    return cp.id;
  }
}
