/**
 * The generated schema types a nullable string or number field as `Record<string, never> | null` (how the service's
 * OpenAPI spells `nullable` without a type). These read such a field as what it holds.
 */
export function nullableText(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

export function nullableNumber(value: unknown): number | null {
  return typeof value === 'number' ? value : null;
}
