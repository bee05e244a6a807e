export const STAFF_ROLES = [
  'admin',
  'policy-admin',
  'intake-officer',
  'phone-officer',
  'commissary-operator',
  'finance-officer',
  'visits-officer',
  'care-officer',
  'auditor',
] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

/** Roles that may change facility records; auditors read everything and change nothing. */
export const FACILITY_WRITE_ROLES: readonly StaffRole[] = STAFF_ROLES.filter(
  (r) => r !== 'auditor' && r !== 'policy-admin',
);

export const TERMINAL_KINDS = ['parcel-intake', 'payphone', 'commissary'] as const;
export type TerminalKind = (typeof TERMINAL_KINDS)[number];
