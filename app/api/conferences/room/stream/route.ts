// GET /api/conferences/room/stream — Server-Sent Events of one participant: lobby and room, sealed signalling for it.
import { route } from '@/lib/auth/route';
import { conferenceStream } from '@/lib/conferences/stream';
import { conferenceTokenOf } from '@/lib/conferences/room';

export const dynamic = 'force-dynamic';

export const GET = route({ access: 'conference' }, async ({ db, conferee, req }) => conferenceStream(db, conferee, conferenceTokenOf(req)!, req));
