import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { FacilitiesModule } from '../facilities/facilities.module';
import { PoliciesModule } from '../policies/policies.module';
import { ParcelEntity, ParcelEventEntity } from './entities/parcel.entity';
import { ParcelIntakeService } from './parcel-intake.service';
import { ParcelRecordsService } from './parcel-records.service';
import { ParcelStatusService } from './parcel-status.service';
import { ParcelRulesService } from './parcel-rules.service';
import { ParcelsController } from './parcels.controller';
import { ParcelsRepository } from './parcels.repository';

@Module({
  imports: [
    TypeOrmModule.forFeature([ParcelEntity, ParcelEventEntity]),
    FacilitiesModule,
    PoliciesModule,
  ],
  controllers: [ParcelsController],
  providers: [
    ParcelsRepository,
    ParcelRulesService,
    ParcelIntakeService,
    ParcelRecordsService,
    ParcelStatusService,
  ],
})
export class ParcelsModule {}
