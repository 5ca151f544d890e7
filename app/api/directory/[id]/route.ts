// GET /api/directory/:id — one listed organisation with this organisation's pin of its keys (if any).
import { route } from '@/lib/auth/route';
import { idParam } from '@/lib/auth/params';
import { directoryEntry, partnerPin } from '@/lib/directory/service';

export const GET = route({ access: 'member' }, async ({ db, session, params }) => {
  const id = idParam(params);
  return { entry: await directoryEntry(db, id), pin: await partnerPin(db, session, id) };
});
