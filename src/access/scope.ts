import { Actor } from '../common/context';
import { COUNTY_WIDE_ROLES } from './domain/roles';

/**
 * Design §3: a user reads and acts within their org unit's subtree; county-level roles and auditors see the
 * whole county. An object outside scope is answered as if it did not exist (404).
 */
export function seesWholeCounty(actor: Actor): boolean {
  return actor.userId === null || actor.roles.some((r) => COUNTY_WIDE_ROLES.includes(r));
}

export function inScope(actor: Actor, unitPath: string): boolean {
  return seesWholeCounty(actor) || (actor.orgUnit !== null && unitPath.startsWith(actor.orgUnit.path));
}

/** The path prefix a list query filters on: the county root for county-wide roles, else the user's unit. */
export function scopePrefix(actor: Actor): string {
  return seesWholeCounty(actor) ? '/' : actor.orgUnit!.path;
}
