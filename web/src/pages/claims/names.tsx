import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { api, call } from '../../api/client';

/**
 * Names of things a row refers to by id (a village, a project), read once per tab whatever the rows that name them:
 * a page of rows asks for each distinct one, never for a whole list.
 */
function cacheOf(read: (id: number) => Promise<string>): (id: number) => Promise<string> {
  const names = new Map<number, Promise<string>>();
  return (id) => {
    let name = names.get(id);
    if (!name) {
      name = read(id);
      names.set(id, name);
      name.catch(() => names.delete(id));
    }
    return name;
  };
}

const unitName = cacheOf((id) => call(api.GET('/api/v1/org-units/{id}', { params: { path: { id } } })).then((u) => u.name));
const projectName = cacheOf((id) => call(api.GET('/api/v1/projects/{id}', { params: { path: { id } } })).then((p) => p.name));

function useName(of: (id: number) => Promise<string>, id: number): string | null {
  const [name, setName] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    of(id).then(
      (n) => live && setName(n),
      () => live && setName(null),
    );
    return () => {
      live = false;
    };
  }, [of, id]);
  return name;
}

/** A village (or township) by its name; its number while the name is read or when it cannot be. */
export function UnitName({ id }: { id: number }) {
  return <>{useName(unitName, id) ?? `單位 ${id}`}</>;
}

/** A link to a project, named. */
export function ProjectLink({ id }: { id: number }) {
  return <Link to={`/projects/${id}`}>{useName(projectName, id) ?? `項目 ${id}`}</Link>;
}
