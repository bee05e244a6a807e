import { Module } from '@nestjs/common';
import { AccessModule } from '../access/access.module';
import { BookingsController } from './bookings.controller';
import { BookingsRepository } from './bookings.repository';
import { BookingsService } from './bookings.service';
import { CardsModule } from '../cards/cards.module';
import { FacilitiesModule } from '../facilities/facilities.module';
import { PoliciesModule } from '../policies/policies.module';
import { CallAuthorisationService } from './call-authorisation.service';
import { CallClosingService } from './call-closing.service';
import { CallDeps } from './call-deps';
import { CallEndService } from './call-end.service';
import { CallPolicyService } from './call-policy.service';
import { CallsController } from './calls.controller';
import { CallsRepository } from './calls.repository';
import { CallsSweeperService } from './calls-sweeper.service';
import { ContactsController } from './contacts.controller';
import { ContactsRepository } from './contacts.repository';
import { ContactsService } from './contacts.service';
import { PhoneScheduleService } from './phone-schedule.service';
import { PayphonesFollowPrisoner } from './prisoner-moves.handler';

/** Payphones: approved contacts, call authorisation paid from the card, the phones' schedule. */
@Module({
  imports: [AccessModule, FacilitiesModule, PoliciesModule, CardsModule],
  controllers: [ContactsController, CallsController, BookingsController],
  providers: [
    ContactsRepository,
    ContactsService,
    CallsRepository,
    CallPolicyService,
    CallDeps,
    CallClosingService,
    PhoneScheduleService,
    CallAuthorisationService,
    CallEndService,
    CallsSweeperService,
    BookingsRepository,
    BookingsService,
    PayphonesFollowPrisoner,
  ],
})
export class PayphonesModule {}
