import type { Conditions, SecurityLevel } from '../../facilities/domain/prisoner.rules';

export type PolicyValues = Record<string, unknown>;

/**
 * The value of a key for a prisoner of this security level in these conditions of serving. Plain
 * values are the same for everyone; by-level values are looked up, then by conditions if the
 * level's value is itself a map. No module walks these maps itself.
 */
export function valueFor<T = unknown>(
  raw: unknown,
  level: SecurityLevel,
  conditions: Conditions,
): T {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return raw as T;
  const lv = (raw as Record<string, unknown>)[level];
  if (lv !== null && typeof lv === 'object' && !Array.isArray(lv)) {
    return (lv as Record<string, unknown>)[conditions] as T;
  }
  return lv as T;
}
