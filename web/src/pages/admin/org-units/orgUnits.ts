import { useEffect, useState } from 'react';
import { api, call, type Schema } from '../../../api/client';

export type OrgUnit = Schema<'OrgUnitView'>;

export const LEVEL_LABELS: Record<OrgUnit['level'], string> = { county: '縣', township: '鄉鎮', village: '村' };

/** Units read one at a time by id and kept for the tab's life: lists carry ids, a page names a few dozen at most. */
const cache = new Map<number, Promise<OrgUnit>>();

export function orgUnit(id: number): Promise<OrgUnit> {
  let unit = cache.get(id);
  if (!unit) {
    unit = call(api.GET('/api/v1/org-units/{id}', { params: { path: { id } } }));
    unit.catch(() => cache.delete(id));
    cache.set(id, unit);
  }
  return unit;
}

/** Remembers a unit already read in a list, so naming it needs no request. */
export function remember(unit: OrgUnit): void {
  cache.set(unit.id, Promise.resolve(unit));
}

export function useOrgUnit(id: number | null): OrgUnit | null {
  const [unit, setUnit] = useState<OrgUnit | null>(null);
  useEffect(() => {
    if (id === null) return;
    let live = true;
    orgUnit(id)
      .then((u) => live && setUnit(u))
      .catch(() => live && setUnit(null));
    return () => {
      live = false;
    };
  }, [id]);
  return id === null ? null : unit;
}
