import { Injectable, Logger } from '@nestjs/common';
import { SYSTEM_PRINCIPAL } from '../common/auth/principal';
import { FacilitiesService } from '../modules/facilities/facilities.service';
import { PrisonerRegistryService } from '../modules/facilities/prisoner-registry.service';
import { DomainError } from '../common/errors/domain-error';
import type { Conditions, SecurityLevel } from '../modules/facilities/domain/prisoner.rules';

interface DemoFacility {
  code: string;
  name: string;
  timeZone: string;
  prisoners: Array<[personalNumber: string, fullName: string, SecurityLevel, Conditions]>;
}

// Two zones on purpose: Aqtobe has always been UTC+5, Almaty was UTC+6 until 2024-03-01.
const DEMO: DemoFacility[] = [
  {
    code: 'DEMO-ALM-1',
    name: 'Demo colony No. 1 (Almaty region, medium security)',
    timeZone: 'Asia/Almaty',
    prisoners: [
      ['DEMO-0001', 'Serik Amanov', 'medium', 'ordinary'],
      ['DEMO-0002', 'Yerlan Bekov', 'medium', 'facilitated'],
      ['DEMO-0003', 'Daniyar Omarov', 'medium', 'strict'],
      ['DEMO-0004', 'Arman Seitkali', 'minimum', 'preferential'],
    ],
  },
  {
    code: 'DEMO-AKT-2',
    name: 'Demo colony No. 2 (Aktobe region, extreme security)',
    timeZone: 'Asia/Aqtobe',
    prisoners: [
      ['DEMO-0101', 'Nurlan Zhaksybekov', 'extreme', 'ordinary'],
      ['DEMO-0102', 'Timur Kassymov', 'maximum', 'strict'],
    ],
  },
];

/** Loads the demo facilities and prisoners; running it again changes nothing. */
@Injectable()
export class DemoSeedService {
  private readonly logger = new Logger(DemoSeedService.name);

  constructor(
    private readonly facilities: FacilitiesService,
    private readonly registry: PrisonerRegistryService,
  ) {}

  async seed(): Promise<void> {
    let created = 0;
    for (const f of DEMO) {
      const facility = await this.facilities.createOrGet(f, SYSTEM_PRINCIPAL);
      for (const [personalNumber, fullName, securityLevel, conditions] of f.prisoners) {
        try {
          await this.registry.register(
            facility.id,
            { personalNumber, fullName, securityLevel, conditions },
            SYSTEM_PRINCIPAL,
          );
          created++;
        } catch (err) {
          if (!(err instanceof DomainError && err.code === 'PERSONAL_NUMBER_TAKEN')) throw err;
        }
      }
    }
    if (created > 0)
      this.logger.log(`demo data: ${DEMO.length} facilities, ${created} prisoners added`);
  }
}
