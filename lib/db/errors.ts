// A unique-key violation (PostgreSQL and PGlite both report SQLSTATE 23505;
// drizzle may wrap the driver's error) means the row exists already: the
// route wrapper answers it as a conflict, not as an internal fault.
export function isUniqueViolation(e: unknown): boolean {
  for (let c: unknown = e, depth = 0; c && depth < 4; c = (c as { cause?: unknown }).cause, depth++) {
    if ((c as { code?: unknown }).code === '23505') return true;
  }
  return false;
}
