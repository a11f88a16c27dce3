/**
 * The generated schema types some nullable ids and dates as `Record<string, never> | null` (an OpenAPI nullable
 * without a type); the API sends a string or null. Read them as that.
 */
export function textOf(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

export function numberOf(value: unknown): number | null {
  return typeof value === 'number' ? value : null;
}
