import { Transform } from 'class-transformer';
import { IsEmail, IsString, Matches, MaxLength, MinLength } from 'class-validator';
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

  /** At least 12 characters. */
  @IsString()
  @MinLength(12)
  @MaxLength(128)
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
