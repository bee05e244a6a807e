import { Injectable } from '@nestjs/common';
import { isNational, Principal } from '../../common/auth/principal';
import { NotFoundError } from '../../common/errors/domain-error';
import { AccessObject, AccessRepository } from './access.repository';

export type { AccessObject };

const LABEL: Record<AccessObject | 'facility', string> = {
  facility: 'Facility',
  prisoner: 'Prisoner',
  parcel: 'Parcel',
  link: 'Link request',
  card: 'Card',
  charge: 'Charge',
  terminal: 'Terminal',
  'policy-version': 'Policy version',
  contact: 'Contact',
  'payphone-booking': 'Booking',
  'visit-room': 'Visit room',
  'long-visit': 'Long visit',
  deposit: 'Deposit',
};

/**
 * The one answer to "may this caller touch these objects?" (immich's `requireAccess`). Which
 * routes a role or terminal kind may call is the route's `@Access` rule; this is the object level:
 * national staff reach everything; facility staff and terminals what lies in their facilities;
 * relatives the prisoners they hold an approved link to, and their own link requests. Anything
 * else is answered as if it did not exist (404). One query per call, however many ids.
 */
@Injectable()
export class AccessService {
  constructor(private readonly repo: AccessRepository) {}

  /** The facilities the caller works in, as a list filter: null = every facility (none for a relative). */
  facilityFilter(p: Principal): string[] | null {
    switch (p.kind) {
      case 'staff':
        return p.facilityIds === null ? null : [...p.facilityIds];
      case 'terminal':
        return [p.facilityId];
      case 'relative':
        return [];
    }
  }

  /**
   * The facilities whose names and zones the caller may list: their own, except that relatives see
   * the whole directory (they need a facility's id to ask for a link). null = every facility.
   */
  directoryFilter(p: Principal): string[] | null {
    return p.kind === 'relative' ? null : this.facilityFilter(p);
  }

  /** The relative's account id when the caller is a relative, else null (what is their own). */
  relativeOf(p: Principal): string | null {
    return p.kind === 'relative' ? p.id : null;
  }

  /** Whether the caller is national staff (answers that cover every facility are theirs). */
  isNational(p: Principal): boolean {
    return isNational(p);
  }

  /** Whether the caller works in this facility. No query (the guard asks on every request). */
  inFacility(p: Principal, facilityId: string): boolean {
    switch (p.kind) {
      case 'staff':
        return p.facilityIds === null || p.facilityIds.has(facilityId);
      case 'terminal':
        return p.facilityId === facilityId;
      case 'relative':
        return false;
    }
  }

  /** 404 unless the caller works in this facility. */
  requireFacility(p: Principal, facilityId: string): void {
    if (!this.inFacility(p, facilityId)) throw new NotFoundError(LABEL.facility);
  }

  /**
   * 404 unless the caller works in this facility or, for a relative, holds an approved link to a
   * prisoner held there (links follow their prisoner): what a relative may see of a facility's
   * long-visit calendar.
   */
  async requireFacilityOrLinked(p: Principal, facilityId: string): Promise<void> {
    if (p.kind !== 'relative') return this.requireFacility(p, facilityId);
    if (!(await this.repo.linkedInFacility(p.id, facilityId))) {
      throw new NotFoundError(LABEL.facility);
    }
  }

  /** The ids among `ids` the caller may touch; one query (none for national staff). */
  private check(p: Principal, kind: AccessObject, ids: readonly string[]): Promise<Set<string>> {
    const unique = [...new Set(ids)];
    if (p.kind === 'relative') return this.repo.ofRelative(kind, unique, p.id);
    const facilities = this.facilityFilter(p);
    if (facilities === null) return Promise.resolve(new Set(unique));
    return this.repo.inFacilities(kind, unique, facilities);
  }

  /** 404 (naming the kind of object) unless the caller may touch every one of `ids`. */
  async require(p: Principal, kind: AccessObject, ids: readonly string[]): Promise<void> {
    const allowed = await this.check(p, kind, ids);
    if (ids.some((id) => !allowed.has(id))) throw new NotFoundError(LABEL[kind]);
  }

  /**
   * 404 unless the caller may touch this one object, which the use case has just read with the
   * facility it lies in (as the access repository reckons it: a card's is its prisoner's): staff
   * and terminals are answered from their scope with no second read; a relative's links are asked for.
   */
  async requireHeld(
    p: Principal,
    kind: AccessObject,
    o: { id: string; facilityId: string },
  ): Promise<void> {
    if (p.kind === 'relative') return this.require(p, kind, [o.id]);
    if (!this.inFacility(p, o.facilityId)) throw new NotFoundError(LABEL[kind]);
  }
}
