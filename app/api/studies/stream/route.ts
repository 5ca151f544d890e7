// GET /api/studies/stream — events when a study arrives or a receipt changes (ids only).
import { route } from '@/lib/auth/route';
import { studyStream } from '@/lib/studies/stream';

export const GET = route({ access: 'member' }, async ({ db, session, req }) => studyStream(db, session, req));
