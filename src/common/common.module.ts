import { Global, Module } from '@nestjs/common';
import { ChangeNotifier } from './database/change-notifier';
import { CursorKey } from './http/cursor-key';
import { UnitOfWork } from './database/unit-of-work';
import { Clock } from './time/clock';
import { InFlightTracker } from './http/request-context';
import { IdempotencyRepository } from './idempotency/idempotency.repository';
import { UseCaseRunner } from './use-case/use-case.runner';

@Global()
@Module({
  providers: [
    UnitOfWork,
    Clock,
    ChangeNotifier,
    InFlightTracker,
    IdempotencyRepository,
    UseCaseRunner,
    CursorKey,
  ],
  exports: [UnitOfWork, Clock, ChangeNotifier, InFlightTracker, UseCaseRunner],
})
export class CommonModule {}
