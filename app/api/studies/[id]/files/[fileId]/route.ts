// GET /api/studies/:id/files/:fileId — one encrypted file of a study, streamed as stored (the browser decrypts it).
import { z } from 'zod';
import { route } from '@/lib/auth/route';
import { idParam } from '@/lib/auth/params';
import { AppError } from '@/lib/core/errors';
import { openStudyFile } from '@/lib/studies/service';

export const GET = route({ access: 'member' }, async ({ db, session, params }) => {
  const fileId = z.string().uuid().safeParse(params.fileId);
  if (!fileId.success) throw new AppError('not_found');
  const file = await openStudyFile(db, session, idParam(params), fileId.data);
  return new Response(file.body, {
    headers: { 'Content-Type': 'application/octet-stream', 'Content-Length': String(file.bytes), 'Cache-Control': 'no-store' },
  });
});
