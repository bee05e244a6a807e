import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { FacilitiesModule } from '../facilities/facilities.module';
import { PoliciesModule } from '../policies/policies.module';
import { AvailabilityService } from './availability.service';
import { RelativeLinkEntity } from './entities/relative-link.entity';
import { LinksController } from './links.controller';
import { LinksFollowPrisoner } from './links-follow-prisoner.handler';
import { LongVisitRulesService } from './long-visit-rules.service';
import { LongVisitsRepository } from './long-visits.repository';
import { RelativeLinksRepository } from './relative-links.repository';
import { RelativeLinksService } from './relative-links.service';
import { VisitRoomsController } from './visit-rooms.controller';
import { VisitRoomsRepository } from './visit-rooms.repository';
import { VisitRoomsService } from './visit-rooms.service';

/** Relatives' links to prisoners, visit rooms and long visits (booking comes next). */
@Module({
  imports: [TypeOrmModule.forFeature([RelativeLinkEntity]), FacilitiesModule, PoliciesModule],
  controllers: [LinksController, VisitRoomsController],
  providers: [
    RelativeLinksRepository,
    RelativeLinksService,
    LinksFollowPrisoner,
    VisitRoomsRepository,
    LongVisitsRepository,
    VisitRoomsService,
    LongVisitRulesService,
    AvailabilityService,
  ],
  exports: [RelativeLinksService],
})
export class VisitsModule {}
