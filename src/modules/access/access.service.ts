import { Injectable } from '@nestjs/common';
import { Principal } from '../../common/auth/principal';
import { NotFoundError } from '../../common/errors/domain-error';
import { AccessObject, AccessRepository } from './access.repository';

export type { AccessObject };

/** The facilities a caller works in: every one, or these (none for a relative). */
export type FacilityScope = { all: true } | { all: false; facilityIds: string[] };

const LABEL: Record<AccessObject | 'facility', string> = {
  facility: 'Facility',
  prisoner: 'Prisoner',
  parcel: 'Parcel',
  link: 'Link request',
  card: 'Card',
  charge: 'Charge',
  terminal: 'Terminal',
  'policy-version': 'Policy version',
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

  /** The facilities this caller works in. */
  scope(p: Principal): FacilityScope {
    switch (p.kind) {
      case 'staff':
        return p.facilityIds === null
          ? { all: true }
          : { all: false, facilityIds: [...p.facilityIds] };
      case 'terminal':
        return { all: false, facilityIds: [p.facilityId] };
      case 'relative':
        return { all: false, facilityIds: [] };
    }
  }

  /** The same as a list filter: null = no filter (every facility). */
  facilityFilter(p: Principal): string[] | null {
    const s = this.scope(p);
    return s.all ? null : s.facilityIds;
  }

  /**
   * The facilities whose names and zones the caller may list: their own, except that relatives see
   * the whole directory (they need a facility's id to ask for a link). null = every facility.
   */
  directoryFilter(p: Principal): string[] | null {
    return p.kind === 'relative' ? null : this.facilityFilter(p);
  }

  /** Whether the caller is national staff (answers that cover every facility are theirs). */
  isNational(p: Principal): boolean {
    return this.scope(p).all;
  }

  /** Whether the caller works in this facility. No query. */
  inFacility(p: Principal, facilityId: string): boolean {
    const s = this.scope(p);
    return s.all || s.facilityIds.includes(facilityId);
  }

  /** 404 unless the caller works in this facility. */
  requireFacility(p: Principal, facilityId: string): void {
    if (!this.inFacility(p, facilityId)) throw new NotFoundError(LABEL.facility);
  }

  /** The ids among `ids` the caller may touch; one query. */
  async check(p: Principal, kind: AccessObject, ids: readonly string[]): Promise<Set<string>> {
    const unique = [...new Set(ids)];
    if (p.kind === 'relative') return this.repo.ofRelative(kind, unique, p.id);
    const s = this.scope(p);
    if (s.all) return new Set(unique);
    return this.repo.inFacilities(kind, unique, s.facilityIds);
  }

  /** 404 (naming the kind of object) unless the caller may touch every one of `ids`. */
  async require(p: Principal, kind: AccessObject, ids: readonly string[]): Promise<void> {
    const allowed = await this.check(p, kind, ids);
    if (ids.some((id) => !allowed.has(id))) throw new NotFoundError(LABEL[kind]);
  }
}
