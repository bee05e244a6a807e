import type { Relationship } from '../domain/relationship';
import type { LongVisitStatus } from '../domain/long-visit.rules';

/** A visit room as the repositories read it. */
export interface VisitRoom {
  id: string;
  facilityId: string;
  name: string;
  capacity: number;
  active: boolean;
  createdAt: Date;
}

/** A room out of use for a range of local dates. */
export interface VisitRoomClosure {
  id: string;
  roomId: string;
  facilityId: string;
  from: string;
  to: string;
  reason: string;
  createdBy: string;
  createdAt: Date;
}

export interface Visitor {
  fullName: string;
  relationship: Relationship;
}

/** A long visit booking as the repositories read it. */
export interface LongVisit {
  id: string;
  reference: string;
  facilityId: string;
  roomId: string;
  prisonerId: string;
  relativeId: string;
  startDate: string;
  endDate: string;
  days: number;
  startsAt: Date;
  endsAt: Date;
  periodYear: number;
  visitors: Visitor[];
  requiredDocuments: string[];
  policyVersionIds: string[];
  status: LongVisitStatus;
  statusReason: string | null;
  statusChangedAt: Date | null;
  createdAt: Date;
}

/** The columns of `LongVisit`, for every SELECT and RETURNING of long_visits (alias `v`). */
export const LONG_VISIT_COLUMNS = `v.id, v.reference, v.facility_id AS "facilityId", v.room_id AS "roomId",
  v.prisoner_id AS "prisonerId", v.relative_id AS "relativeId", v.start_date::text AS "startDate",
  v.end_date::text AS "endDate", v.days, v.starts_at AS "startsAt", v.ends_at AS "endsAt",
  v.period_year AS "periodYear", v.visitors, v.required_documents AS "requiredDocuments",
  v.policy_version_ids AS "policyVersionIds", v.status, v.status_reason AS "statusReason",
  v.status_changed_at AS "statusChangedAt", v.created_at AS "createdAt"`;

export const VISIT_ROOM_COLUMNS = `r.id, r.facility_id AS "facilityId", r.name, r.capacity, r.active,
  r.created_at AS "createdAt"`;

export const CLOSURE_COLUMNS = `c.id, c.room_id AS "roomId", c.facility_id AS "facilityId",
  c.from_date::text AS "from", c.to_date::text AS "to", c.reason, c.created_by AS "createdBy",
  c.created_at AS "createdAt"`;
