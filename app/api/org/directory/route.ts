// GET/PUT /api/org/directory — whether the organisation is listed in the directory (admins change it).
import { route } from '@/lib/auth/route';
import { ZDirectoryVisibility } from '@/lib/directory/schemas';
import { directoryVisibility, setDirectoryVisibility } from '@/lib/directory/service';

export const GET = route({ access: 'member' }, ({ db, session }) => directoryVisibility(db, session));

export const PUT = route({ access: 'admin', input: ZDirectoryVisibility }, async ({ db, session, input }) => {
  await setDirectoryVisibility(db, session, input);
  return { ok: true };
});
