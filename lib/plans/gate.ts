import 'server-only';
import { eq } from 'drizzle-orm';
import type { DbOrTx } from '@/lib/db/client';
import { organisations } from '@/lib/db/schema';
import { AppError } from '@/lib/core/errors';
import { hasFeature, type Feature } from './plans';

/** What costs Konsil money per use: unlocked only once the organisation's e-mail address is confirmed. */
const PAID: ReadonlySet<Feature> = new Set<Feature>(['smsInvitation', 'emailInvitation', 'reminders']);

/** Refuses (403 plan_required) an action whose feature the organisation's plan lacks (and a paid one before the address is confirmed). */
export async function requireFeature(db: DbOrTx, orgId: string, feature: Feature): Promise<void> {
  const [org] = await db.select({ plan: organisations.plan, emailConfirmedAt: organisations.emailConfirmedAt }).from(organisations).where(eq(organisations.id, orgId));
  if (!org) throw new AppError('not_found');
  if (!hasFeature(org.plan, feature)) throw new AppError('plan_required', { detail: feature });
  if (PAID.has(feature) && !org.emailConfirmedAt) throw new AppError('email_unconfirmed');
}
