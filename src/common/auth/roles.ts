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

/**
 * Who reads one prisoner's record (the prisoner, their history, the facility's roll, the parcel
 * allowance): every officer who deals with prisoners. Not policy administrators: they write rules
 * for everyone and never need one person's data. Least privilege per role: docs/roles.md.
 */
export const PRISONER_READERS: readonly StaffRole[] = STAFF_ROLES.filter(
  (r) => r !== 'policy-admin',
);

/** Who reads a prisoner's money (balance, statement, cards): the finance office, the till, audit. */
export const MONEY_READERS: readonly StaffRole[] = [
  'finance-officer',
  'commissary-operator',
  'auditor',
];

/** Who reads parcels and their contents: the parcel room and audit. */
export const PARCEL_READERS: readonly StaffRole[] = ['intake-officer', 'auditor'];

/** Who reads a prisoner's numbers and calls: the phone officers and audit. */
export const PHONE_READERS: readonly StaffRole[] = ['phone-officer', 'auditor'];

export const TERMINAL_KINDS = ['parcel-intake', 'payphone', 'commissary'] as const;
export type TerminalKind = (typeof TERMINAL_KINDS)[number];
