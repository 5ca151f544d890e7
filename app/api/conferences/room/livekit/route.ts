// POST /api/conferences/room/livekit — a short-lived LiveKit token for one participant in the room (503 without a LiveKit server).
import { route } from '@/lib/auth/route';
import { livekitTokenFor } from '@/lib/conferences/media';

export const POST = route({ access: 'conference' }, ({ conferee }) => livekitTokenFor(conferee));
