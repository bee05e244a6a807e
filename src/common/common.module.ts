import { Global, Module } from '@nestjs/common';
import { ChangeNotifier } from './database/change-notifier';
import { UnitOfWork } from './database/unit-of-work';
import { Clock } from './time/clock';

@Global()
@Module({
  providers: [UnitOfWork, Clock, ChangeNotifier],
  exports: [UnitOfWork, Clock, ChangeNotifier],
})
export class CommonModule {}
