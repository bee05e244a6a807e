import { IsCode, IsIanaZone, IsText } from '../../../common/http/validators';
import { FACILITY_CODE } from '../domain/prisoner.rules';
import { FacilityEntity } from '../entities/facility.entity';

export class CreateFacilityDto {
  /** Unique code, upper-cased: letters, digits and dashes, 2-32 characters. @example "UK-161-2" */
  @IsCode(FACILITY_CODE, 'code must be 2-32 letters, digits or dashes')
  code: string;

  /** @example "Colony UK-161/2, Almaty region" */
  @IsText(200)
  name: string;

  /** IANA time zone of the facility; every local hour and date rule uses it. @example "Asia/Almaty" */
  @IsIanaZone()
  timeZone: string;
}

export class FacilityDto {
  id: string;
  code: string;
  name: string;
  timeZone: string;
  createdAt: string;

  static from(f: FacilityEntity): FacilityDto {
    return {
      id: f.id,
      code: f.code,
      name: f.name,
      timeZone: f.timeZone,
      createdAt: f.createdAt.toISOString(),
    };
  }
}

export class FacilityPageDto {
  items: FacilityDto[];
  nextCursor: string | null;
}
