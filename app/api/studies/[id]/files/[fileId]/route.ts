// GET /api/studies/:id/files/:fileId — one encrypted file of a study, streamed as stored (the browser decrypts it).
import fs from 'node:fs';
import { Readable } from 'node:stream';
import { z } from 'zod';
import { route } from '@/lib/auth/route';
import { idParam } from '@/lib/auth/params';
import { AppError } from '@/lib/core/errors';
import { studyFilePath } from '@/lib/studies/service';

export const GET = route({ access: 'member' }, async ({ db, session, params }) => {
  const fileId = z.string().uuid().safeParse(params.fileId);
  if (!fileId.success) throw new AppError('not_found');
  const file = await studyFilePath(db, session, idParam(params), fileId.data);
  const stat = await fs.promises.stat(file.path).catch(() => null);
  if (!stat || stat.size !== file.bytes) throw new AppError('not_found');
  const body = Readable.toWeb(fs.createReadStream(file.path)) as ReadableStream<Uint8Array>;
  return new Response(body, {
    headers: { 'Content-Type': 'application/octet-stream', 'Content-Length': String(stat.size), 'Cache-Control': 'no-store' },
  });
});
