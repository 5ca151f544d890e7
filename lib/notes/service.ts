import 'server-only';
import { and, desc, eq } from 'drizzle-orm';
import type { DbOrTx } from '@/lib/db/client';
import { notes, users } from '@/lib/db/schema';
import { AppError } from '@/lib/core/errors';
import type { SessionContext } from '@/lib/auth/sessions';

export async function listNotes(db: DbOrTx, session: SessionContext) {
  return db
    .select({ id: notes.id, bodyEnc: notes.bodyEnc, authorShortName: users.shortName, createdAt: notes.createdAt })
    .from(notes)
    .leftJoin(users, eq(users.id, notes.authorId))
    .where(eq(notes.orgId, session.orgId))
    .orderBy(desc(notes.createdAt))
    .limit(200);
}

/** A note as GET /api/notes lists it (the body encrypted). */
export type NoteRow = Awaited<ReturnType<typeof listNotes>>[number];

export async function createNote(db: DbOrTx, session: SessionContext, input: { id: string; bodyEnc: string }) {
  const rows = await db
    .insert(notes)
    .values({ id: input.id, orgId: session.orgId, authorId: session.userId, bodyEnc: input.bodyEnc })
    .onConflictDoNothing()
    .returning({ id: notes.id });
  if (!rows.length) throw new AppError('conflict');
}

export async function deleteNote(db: DbOrTx, session: SessionContext, id: string) {
  const rows = await db
    .delete(notes)
    .where(and(eq(notes.id, id), eq(notes.orgId, session.orgId)))
    .returning({ id: notes.id });
  if (!rows.length) throw new AppError('not_found');
}
