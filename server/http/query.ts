/** RFC 3339 query parameter -> ms (the schema already checked the format). */
export function ms(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const t = Date.parse(value);
  return Number.isNaN(t) ? undefined : t;
}
