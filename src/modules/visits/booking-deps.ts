import { Injectable } from '@nestjs/common';
import { AccessService } from '../access/access.service';
import { FacilitiesService } from '../facilities/facilities.service';
import { PrisonerRegistryService } from '../facilities/prisoner-registry.service';

/** What a booking reads from other modules (kept together to keep the constructor short). */
@Injectable()
export class BookingDeps {
  constructor(
    readonly access: AccessService,
    readonly facilities: FacilitiesService,
    readonly prisoners: PrisonerRegistryService,
  ) {}
}
