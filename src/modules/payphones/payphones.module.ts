import { Module } from '@nestjs/common';
import { AccessModule } from '../access/access.module';
import { FacilitiesModule } from '../facilities/facilities.module';
import { PoliciesModule } from '../policies/policies.module';
import { ContactsController } from './contacts.controller';
import { ContactsRepository } from './contacts.repository';
import { ContactsService } from './contacts.service';

/** Payphones: approved contacts, call authorisation paid from the card, the phones' schedule. */
@Module({
  imports: [AccessModule, FacilitiesModule, PoliciesModule],
  controllers: [ContactsController],
  providers: [ContactsRepository, ContactsService],
})
export class PayphonesModule {}
