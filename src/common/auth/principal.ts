import { StaffRole, TerminalKind } from './roles';

export interface StaffPrincipal {
  kind: 'staff';
  id: string;
  username: string;
  roles: ReadonlySet<StaffRole>;
  /** null = national: every facility. */
  facilityIds: ReadonlySet<string> | null;
}

/** A facility device authenticated by its API key: one facility, one kind. */
export interface TerminalPrincipal {
  kind: 'terminal';
  id: string;
  terminalKind: TerminalKind;
  facilityId: string;
}

/** A relative signed in online; reaches prisoners only through approved links. */
export interface RelativePrincipal {
  kind: 'relative';
  id: string;
}

export type Principal = StaffPrincipal | TerminalPrincipal | RelativePrincipal;

/**
 * Whether the caller works in this facility: staff by scope, a terminal only in its own. Relatives
 * never do (their access goes through links, checked by the use case).
 */
export function canAccessFacility(p: Principal, facilityId: string): boolean {
  switch (p.kind) {
    case 'staff':
      return p.facilityIds === null || p.facilityIds.has(facilityId);
    case 'terminal':
      return p.facilityId === facilityId;
    case 'relative':
      return false;
  }
}

export function isNational(p: Principal): boolean {
  return p.kind === 'staff' && p.facilityIds === null;
}

/** The facilities a caller may see; null = all. */
export function facilityScope(p: Principal): string[] | null {
  switch (p.kind) {
    case 'staff':
      return p.facilityIds ? [...p.facilityIds] : null;
    case 'terminal':
      return [p.facilityId];
    case 'relative':
      return [];
  }
}

/** The application itself (first start, demo data): national, every role. */
export const SYSTEM_PRINCIPAL: StaffPrincipal = {
  kind: 'staff',
  id: '00000000-0000-0000-0000-000000000000',
  username: 'system',
  roles: new Set<StaffRole>(['admin']),
  facilityIds: null,
};
