import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { FacilitiesModule } from '../facilities/facilities.module';
import { PolicyVersionEntity } from './entities/policy-version.entity';
import { FacilityPolicyController } from './facility-policy.controller';
import { PoliciesController } from './policies.controller';
import { PolicyAuthoringService } from './policy-authoring.service';
import { PolicyFilesLoader } from './policy-files.loader';
import { PolicyVersionsRepository } from './policy-versions.repository';
import { PolicyService } from './policy.service';

@Module({
  imports: [TypeOrmModule.forFeature([PolicyVersionEntity]), FacilitiesModule],
  controllers: [PoliciesController, FacilityPolicyController],
  providers: [PolicyVersionsRepository, PolicyService, PolicyAuthoringService, PolicyFilesLoader],
  exports: [PolicyService, PolicyFilesLoader],
})
export class PoliciesModule {}
