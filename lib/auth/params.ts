import { z } from 'zod';
import { AppError } from '@/lib/core/errors';

/** The :id of a route, or not_found: a malformed id names no row of anyone's. */
export function idParam(params: Record<string, string>): string {
  const r = z.string().uuid().safeParse(params.id);
  if (!r.success) throw new AppError('not_found');
  return r.data;
}
