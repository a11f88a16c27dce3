import { useOrgUnit } from './orgUnits';

/** A unit named by its id: its name once read, the id until then (or when it is out of the reader's scope). */
export function OrgUnitName({ id }: { id: number | null }) {
  const unit = useOrgUnit(id);
  if (id === null) return null;
  return <>{unit ? unit.name : `#${id}`}</>;
}
