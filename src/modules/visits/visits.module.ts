import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { FacilitiesModule } from '../facilities/facilities.module';
import { PoliciesModule } from '../policies/policies.module';
import { AvailabilityService } from './availability.service';
import { BookingDeps } from './booking-deps';
import { RelativeLinkEntity } from './entities/relative-link.entity';
import { LinksController } from './links.controller';
import { LinksFollowPrisoner } from './links-follow-prisoner.handler';
import { LongVisitBookingService } from './long-visit-booking.service';
import { LongVisitRecordsService } from './long-visit-records.service';
import { LongVisitRulesService } from './long-visit-rules.service';
import { LongVisitsController } from './long-visits.controller';
import { LongVisitsRepository } from './long-visits.repository';
import { RelativeLinksRepository } from './relative-links.repository';
import { RelativeLinksService } from './relative-links.service';
import { VisitRoomsController } from './visit-rooms.controller';
import { VisitRoomsRepository } from './visit-rooms.repository';
import { VisitRoomsService } from './visit-rooms.service';
import { VisitsFollowPrisoner } from './visits-follow-prisoner.handler';

/** Relatives' links to prisoners, visit rooms and long visits. */
@Module({
  imports: [TypeOrmModule.forFeature([RelativeLinkEntity]), FacilitiesModule, PoliciesModule],
  controllers: [LinksController, VisitRoomsController, LongVisitsController],
  providers: [
    RelativeLinksRepository,
    RelativeLinksService,
    LinksFollowPrisoner,
    VisitRoomsRepository,
    LongVisitsRepository,
    VisitRoomsService,
    LongVisitRulesService,
    AvailabilityService,
    BookingDeps,
    LongVisitBookingService,
    LongVisitRecordsService,
    VisitsFollowPrisoner,
  ],
  exports: [RelativeLinksService],
})
export class VisitsModule {}
