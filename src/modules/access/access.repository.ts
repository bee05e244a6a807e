import { Injectable } from '@nestjs/common';
import { UnitOfWork } from '../../common/database/unit-of-work';

/** Kinds of object whose access follows from the facility they belong to (or a relative's link). */
export type AccessObject =
  | 'prisoner'
  | 'parcel'
  | 'link'
  | 'card'
  | 'charge'
  | 'terminal'
  | 'policy-version'
  | 'contact'
  | 'payphone-booking'
  | 'visit-room'
  | 'long-visit'
  | 'deposit';

/**
 * Which of these objects lie in these facilities, one query per kind. The access module reads
 * other modules' tables here and only here, for ids and facility ids (immich's access repository).
 */
const IN_FACILITIES: Record<AccessObject, string> = {
  prisoner: `SELECT id FROM prisoners WHERE id = ANY($1::uuid[]) AND facility_id = ANY($2::uuid[])`,
  parcel: `SELECT id FROM parcels WHERE id = ANY($1::uuid[]) AND facility_id = ANY($2::uuid[])`,
  link: `SELECT id FROM relative_links WHERE id = ANY($1::uuid[]) AND facility_id = ANY($2::uuid[])`,
  // a card goes with its prisoner: the facility holding the prisoner now
  card: `SELECT c.id FROM cards c JOIN prisoners p ON p.id = c.prisoner_id
          WHERE c.id = ANY($1::uuid[]) AND p.facility_id = ANY($2::uuid[])`,
  // a charge stays with the facility whose shop made it
  charge: `SELECT id FROM charges WHERE id = ANY($1::uuid[]) AND facility_id = ANY($2::uuid[])`,
  terminal: `SELECT id FROM terminals WHERE id = ANY($1::uuid[]) AND facility_id = ANY($2::uuid[])`,
  // national versions apply in every facility: every member of staff may read them
  'policy-version': `SELECT id FROM policy_versions
                      WHERE id = ANY($1::uuid[]) AND (facility_id IS NULL OR facility_id = ANY($2::uuid[]))`,
  // a payphone contact goes with its prisoner
  contact: `SELECT c.id FROM payphone_contacts c JOIN prisoners p ON p.id = c.prisoner_id
             WHERE c.id = ANY($1::uuid[]) AND p.facility_id = ANY($2::uuid[])`,
  'payphone-booking': `SELECT id FROM payphone_bookings
                        WHERE id = ANY($1::uuid[]) AND facility_id = ANY($2::uuid[])`,
  'visit-room': `SELECT id FROM visit_rooms WHERE id = ANY($1::uuid[]) AND facility_id = ANY($2::uuid[])`,
  // a booking stays with the facility it was made in
  'long-visit': `SELECT id FROM long_visits WHERE id = ANY($1::uuid[]) AND facility_id = ANY($2::uuid[])`,
  deposit: `SELECT id FROM deposits WHERE id = ANY($1::uuid[]) AND facility_id = ANY($2::uuid[])`,
};

/** What a relative reaches: prisoners through approved links, their own link and contact requests. */
const OF_RELATIVE: Partial<Record<AccessObject, string>> = {
  prisoner: `SELECT DISTINCT prisoner_id AS id FROM relative_links
              WHERE relative_id = $2 AND status = 'approved' AND prisoner_id = ANY($1::uuid[])`,
  link: `SELECT id FROM relative_links WHERE relative_id = $2 AND id = ANY($1::uuid[])`,
  // the numbers a relative asked for themselves
  contact: `SELECT id FROM payphone_contacts WHERE relative_id = $2 AND id = ANY($1::uuid[])`,
  // their own bookings only, not another relative's of the same prisoner
  'long-visit': `SELECT id FROM long_visits WHERE relative_id = $2 AND id = ANY($1::uuid[])`,
  // a card top-up: the relative who paid it follows it
  deposit: `SELECT id FROM deposits WHERE relative_id = $2 AND id = ANY($1::uuid[])`,
};

@Injectable()
export class AccessRepository {
  constructor(private readonly uow: UnitOfWork) {}

  async inFacilities(
    kind: AccessObject,
    ids: readonly string[],
    facilityIds: readonly string[],
  ): Promise<Set<string>> {
    if (ids.length === 0 || facilityIds.length === 0) return new Set();
    const rows = await this.uow.query<{ id: string }>(IN_FACILITIES[kind], [ids, facilityIds], {
      prepare: true,
    });
    return new Set(rows.map((r) => r.id));
  }

  async ofRelative(
    kind: AccessObject,
    ids: readonly string[],
    relativeId: string,
  ): Promise<Set<string>> {
    const sql = OF_RELATIVE[kind];
    if (!sql || ids.length === 0) return new Set();
    const rows = await this.uow.query<{ id: string }>(sql, [ids, relativeId], { prepare: true });
    return new Set(rows.map((r) => r.id));
  }

  /** Whether the relative holds an approved link to a prisoner held in the facility. */
  async linkedInFacility(relativeId: string, facilityId: string): Promise<boolean> {
    const rows = await this.uow.query(
      `SELECT 1 FROM relative_links
        WHERE relative_id = $1 AND facility_id = $2 AND status = 'approved' LIMIT 1`,
      [relativeId, facilityId],
      { prepare: true },
    );
    return rows.length > 0;
  }
}
