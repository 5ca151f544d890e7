import 'server-only';
import { eq } from 'drizzle-orm';
import type { DbOrTx } from '@/lib/db/client';
import { organisations } from '@/lib/db/schema';
import { AppError } from '@/lib/errors';
import { hasFeature, type Feature } from './plans';

/** Refuses (403 plan_required) an action whose feature the organisation's plan lacks. */
export async function requireFeature(db: DbOrTx, orgId: string, feature: Feature): Promise<void> {
  const [org] = await db.select({ plan: organisations.plan }).from(organisations).where(eq(organisations.id, orgId));
  if (!org) throw new AppError('not_found');
  if (!hasFeature(org.plan, feature)) throw new AppError('plan_required', { detail: feature });
}
