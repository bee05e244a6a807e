import { Transform } from 'class-transformer';
import { IsEmail, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { IsStrongPassword, PASSWORD_MIN_LENGTH } from '../../../common/auth/password-strength';
import { IsText } from '../../../common/http/validators';
import { RelativeEntity } from '../entities/relative.entity';

const lower = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? value.trim().toLowerCase() : value;

export class RegisterRelativeDto {
  /** @example "aigerim@example.kz" */
  @Transform(lower)
  @IsEmail({}, { message: 'email must be an email address' })
  @MaxLength(254)
  email: string;

  /**
   * At least 12 characters, and not easy to guess: zxcvbn's score 3 or more, not built from the
   * e-mail, name or phone (docs/sign-in.md).
   */
  @IsString()
  @MinLength(PASSWORD_MIN_LENGTH)
  @MaxLength(128)
  @IsStrongPassword(['email', 'fullName', 'phone'])
  password: string;

  @IsText(200)
  fullName: string;

  /** E.164. @example "+77011234567" */
  @Matches(/^\+[1-9][0-9]{6,14}$/, { message: 'phone must be in E.164 form, e.g. +77011234567' })
  phone: string;
}

export class RelativeLoginDto {
  @Transform(lower)
  @IsString()
  @MaxLength(254)
  email: string;

  @IsString()
  @MaxLength(256)
  password: string;
}

export class RelativeDto {
  id: string;
  email: string;
  fullName: string;
  phone: string;
  createdAt: string;

  static from(r: RelativeEntity): RelativeDto {
    return {
      id: r.id,
      email: r.email,
      fullName: r.fullName,
      phone: r.phone,
      createdAt: r.createdAt.toISOString(),
    };
  }
}
