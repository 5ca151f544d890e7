// GET/PUT /api/org/studies — the studies sent this month and the plan's limit; how long received studies are kept (admins change it).
import { route } from '@/lib/auth/route';
import { ZStudySettings } from '@/lib/studies/schemas';
import { monthlySends, setStudySettings, studySettings } from '@/lib/studies/service';

export const GET = route({ access: 'member' }, async ({ db, session }) => ({ ...(await studySettings(db, session)), month: await monthlySends(db, session.orgId) }));

export const PUT = route({ access: 'admin', input: ZStudySettings }, async ({ db, session, input }) => {
  await setStudySettings(db, session, input);
  return { ok: true };
});
