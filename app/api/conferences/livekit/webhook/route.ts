// POST /api/conferences/livekit/webhook — LiveKit's webhooks, verified with the API secret (signed body hash), fresh and not seen before.
import { route, readBodyText } from '@/lib/auth/route';
import { onLivekitWebhook } from '@/lib/conferences/media';

const MAX_WEBHOOK_BYTES = 64_000;

export const POST = route({ access: 'public', streamBody: true }, async ({ db, req }) =>
  onLivekitWebhook(db, await readBodyText(req, MAX_WEBHOOK_BYTES), req.headers.get('authorization')),
);
