// GET/POST /api/studies — the member's inbox or send log (?box=inbox|sent); registering a study before its files upload.
import { route } from '@/lib/auth/route';
import { ZStudyCreate, ZStudyList } from '@/lib/studies/schemas';
import { createStudy } from '@/lib/studies/service';
import { listInbox, listSent } from '@/lib/studies/views';

export const GET = route({ access: 'member', input: ZStudyList }, async ({ db, session, input }) => ({
  studies: input.box === 'inbox' ? await listInbox(db, session) : await listSent(db, session),
}));

export const POST = route({ access: 'member', input: ZStudyCreate }, ({ db, session, input }) => createStudy(db, session, input));
