/** Who a contact is to the prisoner; a defence lawyer's number is also flagged `legal`. */
export const CONTACT_RELATIONSHIPS = [
  'spouse',
  'parent',
  'child',
  'sibling',
  'grandparent',
  'grandchild',
  'guardian',
  'lawyer',
  'other',
] as const;
export type ContactRelationship = (typeof CONTACT_RELATIONSHIPS)[number];

export const CONTACT_STATUSES = ['pending', 'approved', 'rejected', 'removed'] as const;
export type ContactStatus = (typeof CONTACT_STATUSES)[number];

/** A decision on a contact: only a pending one is approved or rejected. */
export type ContactDecision = 'approve' | 'reject';

/** The status a decision leads to, or null when the contact is no longer pending. */
export function decide(status: ContactStatus, decision: ContactDecision): ContactStatus | null {
  if (status !== 'pending') return null;
  return decision === 'approve' ? 'approved' : 'rejected';
}

/** Whether a contact in this status can be removed (rejected and removed ones are history). */
export function removable(status: ContactStatus): boolean {
  return status === 'pending' || status === 'approved';
}

/**
 * Whether one more number fits the prisoner's list: pending and approved numbers count (a request
 * waiting for a decision takes its place); `max` is `payphones.maxContacts` for the prisoner.
 */
export function roomForAnother(live: number, max: number): boolean {
  return live < max;
}
