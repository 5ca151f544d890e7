import 'server-only';
import { and, eq } from 'drizzle-orm';
import type { DbOrTx } from '@/lib/db/client';
import { mailboxes, mailboxMembers } from '@/lib/db/schema';
import type { SessionContext } from '@/lib/auth/sessions';

// Which mailboxes of the own organisation a member may use: the one rule every
// study query (lists, one study, downloads, the live stream) starts from.

/** The mailboxes of the member's own organisation the member may use (a query, to await or to nest). */
export const myMailboxes = (db: DbOrTx, session: SessionContext) =>
  db
    .select({ id: mailboxMembers.mailboxId })
    .from(mailboxMembers)
    .innerJoin(mailboxes, eq(mailboxes.id, mailboxMembers.mailboxId))
    .where(and(eq(mailboxMembers.userId, session.userId), eq(mailboxes.orgId, session.orgId)));

/** The mailboxes this member may use. */
export async function myMailboxIds(db: DbOrTx, session: SessionContext): Promise<string[]> {
  return (await myMailboxes(db, session)).map((r) => r.id);
}
