// GET/DELETE /api/studies/:id — one study for its recipients or sender; deleting it (recipient: with its files; sender: from the log).
import { route } from '@/lib/auth/route';
import { idParam } from '@/lib/auth/params';
import { deleteStudy } from '@/lib/studies/service';
import { studyFor } from '@/lib/studies/views';

export const GET = route({ access: 'member' }, async ({ db, session, params }) => ({ study: await studyFor(db, session, idParam(params)) }));

export const DELETE = route({ access: 'member' }, async ({ db, session, params }) => {
  await deleteStudy(db, session, idParam(params));
  return { ok: true };
});
