import { StaffRole } from './roles';

export interface StaffPrincipal {
  kind: 'staff';
  id: string;
  username: string;
  roles: ReadonlySet<StaffRole>;
  /** null = national: every facility. */
  facilityIds: ReadonlySet<string> | null;
}

export type Principal = StaffPrincipal;

export function hasRole(p: Principal, ...roles: StaffRole[]): boolean {
  return p.kind === 'staff' && roles.some((r) => p.roles.has(r));
}

export function canAccessFacility(p: Principal, facilityId: string): boolean {
  return p.facilityIds === null || p.facilityIds.has(facilityId);
}

export function isNational(p: Principal): boolean {
  return p.facilityIds === null;
}

/** The application itself (first start, demo data): national, every role. */
export const SYSTEM_PRINCIPAL: StaffPrincipal = {
  kind: 'staff',
  id: '00000000-0000-0000-0000-000000000000',
  username: 'system',
  roles: new Set<StaffRole>(['admin']),
  facilityIds: null,
};
