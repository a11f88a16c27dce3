/**
 * The first `max` characters of `text`, counted as PostgreSQL counts them (code points), never cutting a
 * surrogate pair in half: a half pair is ill-formed text that the table would store as U+FFFD while the hashed
 * event kept it, and that jsonb refuses.
 */
export function truncate(text: string, max: number): string {
  const points = Array.from(text);
  return points.length <= max ? text : points.slice(0, max).join('');
}
