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
 * Whether the caller is national staff. Which objects a caller may touch is the access service's
 * answer (`AccessService`, src/modules/access), not a check of its own in each use case.
 */
export function isNational(p: Principal): boolean {
  return p.kind === 'staff' && p.facilityIds === null;
}

/** The application itself (first start, demo data): national, every role. */
export const SYSTEM_PRINCIPAL: StaffPrincipal = {
  kind: 'staff',
  id: '00000000-0000-0000-0000-000000000000',
  username: 'system',
  roles: new Set<StaffRole>(['admin']),
  facilityIds: null,
};
