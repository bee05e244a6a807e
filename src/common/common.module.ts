import { Global, Module } from '@nestjs/common';
import { ChangeNotifier } from './database/change-notifier';
import { UnitOfWork } from './database/unit-of-work';
import { Clock } from './time/clock';
import { InFlightTracker } from './http/request-context';
import { IdempotencyService } from './idempotency/idempotency.service';

@Global()
@Module({
  providers: [UnitOfWork, Clock, ChangeNotifier, InFlightTracker, IdempotencyService],
  exports: [UnitOfWork, Clock, ChangeNotifier, InFlightTracker, IdempotencyService],
})
export class CommonModule {}
