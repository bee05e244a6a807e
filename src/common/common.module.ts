import { Global, Module } from '@nestjs/common';
import { UnitOfWork } from './database/unit-of-work';
import { Clock } from './time/clock';

@Global()
@Module({
  providers: [UnitOfWork, Clock],
  exports: [UnitOfWork, Clock],
})
export class CommonModule {}
