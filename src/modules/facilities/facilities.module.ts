import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { FacilityEntity } from './entities/facility.entity';
import {
  PrisonerConditionsChangeEntity,
  PrisonerTransferEntity,
} from './entities/prisoner-history.entity';
import { PrisonerEntity } from './entities/prisoner.entity';
import { FacilitiesController } from './facilities.controller';
import { FacilitiesRepository } from './facilities.repository';
import { FacilitiesService } from './facilities.service';
import { PrisonerMovesService } from './prisoner-moves.service';
import { PrisonerRegistryService } from './prisoner-registry.service';
import { PrisonersController } from './prisoners.controller';
import { PrisonersRepository } from './prisoners.repository';

@Module({
  imports: [
    TypeOrmModule.forFeature([
      FacilityEntity,
      PrisonerEntity,
      PrisonerConditionsChangeEntity,
      PrisonerTransferEntity,
    ]),
  ],
  controllers: [FacilitiesController, PrisonersController],
  providers: [
    FacilitiesRepository,
    PrisonersRepository,
    FacilitiesService,
    PrisonerRegistryService,
    PrisonerMovesService,
  ],
  exports: [FacilitiesService, PrisonerRegistryService],
})
export class FacilitiesModule {}
