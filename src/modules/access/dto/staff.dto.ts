import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsString,
  Matches,
  MaxLength,
  MinLength,
} from 'class-validator';
import { Transform } from 'class-transformer';
import { IsStrongPassword, PASSWORD_MIN_LENGTH } from '../../../common/auth/password-strength';
import { STAFF_ROLES, StaffRole } from '../../../common/auth/roles';
import { IsId, IsText } from '../../../common/http/validators';
import { StaffWithScope } from '../staff.repository';

export class StaffLoginDto {
  @IsString()
  @MaxLength(64)
  username: string;

  @IsString()
  @MaxLength(256)
  password: string;
}

export class AccessTokenDto {
  accessToken: string;
  /** Seconds until the token expires. */
  expiresIn: number;
  tokenType: 'Bearer';
}

export class CreateStaffDto {
  /** Lowercase letters, digits, `.`, `_`, `-`; 3-64 characters. @example "a.nurlanov" */
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' ? value.trim().toLowerCase() : value,
  )
  @IsString()
  @Matches(/^[a-z0-9][a-z0-9._-]{2,63}$/, {
    message: 'username must be 3-64 lowercase letters, digits, . _ -',
  })
  username: string;

  /**
   * At least 12 characters, and not easy to guess: zxcvbn's score 3 or more, not built from the
   * username or name (docs/sign-in.md).
   */
  @IsString()
  @MinLength(PASSWORD_MIN_LENGTH)
  @MaxLength(128)
  @IsStrongPassword(['username', 'fullName'])
  password: string;

  @IsText(200)
  fullName: string;

  @IsArray()
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsIn(STAFF_ROLES, { each: true })
  roles: StaffRole[];

  /** Facilities the account works in; `[]` = national. */
  @IsArray()
  @ArrayMaxSize(200)
  @ArrayUnique()
  @IsId({ each: true })
  facilityIds: string[];
}

export class StaffDto {
  id: string;
  username: string;
  fullName: string;
  roles: StaffRole[];
  /** `[]` = national. */
  facilityIds: string[];
  active: boolean;
  createdAt: string;

  static from({ account: a, facilityIds }: StaffWithScope): StaffDto {
    return {
      id: a.id,
      username: a.username,
      fullName: a.fullName,
      roles: a.roles,
      facilityIds,
      active: a.active,
      createdAt: a.createdAt.toISOString(),
    };
  }
}

export class MeDto {
  kind: 'staff';
  id: string;
  username: string;
  roles: StaffRole[];
  /** null = national. */
  facilityIds: string[] | null;
}
