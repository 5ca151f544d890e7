// POST/HEAD/PATCH /api/studies/uploads[/<org>.<study>.<file>] — resumable uploads (tus) of a study's encrypted files, by its sender.
import { route } from '@/lib/auth/route';
import { handleUpload } from '@/lib/studies/uploads';

const handler = route({ access: 'member', streamBody: true }, ({ db, session, req, params }) => handleUpload(db, session, req, params.id || undefined));

type Ctx = { params: Promise<{ id?: string[] }> };
// The optional catch-all gives a list of segments; an upload URL has at most one.
const withId = (req: Request, ctx: Ctx) => handler(req, { params: ctx.params.then((p) => ({ id: (p.id ?? []).join('/') })) });

export const POST = withId;
export const HEAD = withId;
export const PATCH = withId;
