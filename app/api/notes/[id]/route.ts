// DELETE /api/notes/:id — delete a team note of the caller's organisation
import { z } from 'zod';
import { route } from '@/lib/auth/route';
import { deleteNote } from '@/lib/notes/service';
import { AppError } from '@/lib/errors';

export const DELETE = route({ access: 'member' }, async ({ db, session, params }) => {
  const id = z.string().uuid().safeParse(params.id);
  if (!id.success) throw new AppError('not_found');
  await deleteNote(db, session, id.data);
  return { ok: true };
});
