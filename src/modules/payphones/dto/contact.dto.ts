import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsString, MaxLength, registerDecorator } from 'class-validator';
import { IsText, Omittable } from '../../../common/http/validators';
import { CONTACT_RELATIONSHIPS, ContactRelationship, ContactStatus } from '../domain/contact.rules';
import { normalisePhoneNumber } from '../domain/phone-number';
import type { ContactRow } from '../contacts.repository';

/**
 * A phone number, read with libphonenumber (default region KZ) and kept in E.164: `+7 701 123 45 67`
 * and `87011234567` are both `+77011234567`. Anything that is not a valid number is refused (400).
 */
export const IsPhoneNumber = (): PropertyDecorator =>
  applyDecorators(
    Transform(({ value }: { value: unknown }) =>
      typeof value === 'string' && value.length <= 40
        ? (normalisePhoneNumber(value) ?? value)
        : value,
    ),
    IsString(),
    MaxLength(40),
    (target: object, propertyName: string | symbol) =>
      registerDecorator({
        name: 'isPhoneNumber',
        target: target.constructor,
        propertyName: String(propertyName),
        options: {
          message: `${String(propertyName)} must be a valid phone number, e.g. +77011234567`,
        },
        validator: {
          validate: (v: unknown) => typeof v === 'string' && normalisePhoneNumber(v) === v,
        },
      }),
  );

export class CreateContactDto {
  /** The number, E.164 or as dialled in Kazakhstan (`8 701 …`); kept in E.164. @example "+77011234567" */
  @IsPhoneNumber()
  phoneNumber: string;

  /** Whose number it is. */
  @IsText(200)
  name: string;

  @IsIn(CONTACT_RELATIONSHIPS)
  relationship: ContactRelationship;

  /**
   * A defence lawyer's number (staff only): its calls are not monitored and do not count against
   * the month's calls.
   */
  @Omittable()
  @IsBoolean()
  legal?: boolean;
}

export class RejectContactDto {
  @IsText(1000, { multiline: true })
  reason: string;
}

export class ContactDto {
  id: string;
  prisonerId: string;
  /** E.164. */
  phoneNumber: string;
  name: string;
  relationship: ContactRelationship;
  legal: boolean;
  status: ContactStatus;
  /** Why it was rejected (null otherwise). */
  rejectReason: string | null;
  /** `relative`: asked for by a linked relative (their own number); `staff`: by a phone officer. */
  requestedBy: 'staff' | 'relative';
  createdAt: string;
  decidedAt: string | null;

  static from(c: ContactRow): ContactDto {
    return {
      id: c.id,
      prisonerId: c.prisonerId,
      phoneNumber: c.phoneNumber,
      name: c.name,
      relationship: c.relationship,
      legal: c.legal,
      status: c.status,
      rejectReason: c.rejectReason,
      requestedBy: c.requestedByKind,
      createdAt: c.createdAt.toISOString(),
      decidedAt: c.decidedAt?.toISOString() ?? null,
    };
  }
}

export class ContactPageDto {
  items: ContactDto[];
  nextCursor: string | null;
}
