import { Module } from '@nestjs/common';
import { CardsModule } from '../cards/cards.module';
import { FacilitiesModule } from '../facilities/facilities.module';
import { PoliciesModule } from '../policies/policies.module';
import { CareFollowsPrisoner } from './care-follows-prisoner.handler';
import { CareListsService } from './care-lists.service';
import { CarePolicy } from './care-policy.service';
import { DisabilitiesController } from './disabilities.controller';
import { DisabilitiesRepository } from './disabilities.repository';
import { DisabilitiesService } from './disabilities.service';
import { OrderliesController } from './orderlies.controller';
import { OrderlyAssignmentsRepository } from './orderly-assignments.repository';
import { OrderlyAssignmentsService } from './orderly-assignments.service';
import { OrderlyPositionsRepository } from './orderly-positions.repository';
import { OrderlyPositionsService } from './orderly-positions.service';
import { OrderlyWagesRepository } from './orderly-wages.repository';
import { PayrollController } from './payroll.controller';
import { PayrollService } from './payroll.service';

/** Care: disability records, orderly positions (a paid staff job), assignments, wages. */
@Module({
  imports: [FacilitiesModule, PoliciesModule, CardsModule],
  controllers: [DisabilitiesController, OrderliesController, PayrollController],
  providers: [
    CarePolicy,
    DisabilitiesRepository,
    OrderlyPositionsRepository,
    OrderlyAssignmentsRepository,
    DisabilitiesService,
    OrderlyPositionsService,
    OrderlyAssignmentsService,
    CareListsService,
    CareFollowsPrisoner,
    OrderlyWagesRepository,
    PayrollService,
  ],
})
export class CareModule {}
