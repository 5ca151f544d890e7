// DELETE /api/notes/:id — delete a team note of the caller's organisation
import { route } from '@/lib/auth/route';
import { idParam } from '@/lib/auth/params';
import { deleteNote } from '@/lib/notes/service';

export const DELETE = route({ access: 'member' }, async ({ db, session, params }) => {
  await deleteNote(db, session, idParam(params));
  return { ok: true };
});
