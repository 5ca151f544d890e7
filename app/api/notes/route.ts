// GET/POST /api/notes — the organisation's team notes (bodies are envelopes under orgKey)
import { route } from '@/lib/auth/route';
import { createNote, listNotes } from '@/lib/notes/service';
import { ZNoteCreate } from '@/lib/notes/schemas';

export const GET = route({ access: 'member' }, async ({ db, session }) => ({ notes: await listNotes(db, session) }));

export const POST = route(
  { access: 'member', input: ZNoteCreate },
  async ({ db, session, input }) => {
    await createNote(db, session, input);
    return { ok: true };
  },
);
