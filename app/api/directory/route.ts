// GET /api/directory?q= — organisations listed in the directory matching the query (typo-tolerant).
import { route } from '@/lib/auth/route';
import { ZDirectoryQuery } from '@/lib/directory/schemas';
import { searchDirectory } from '@/lib/directory/service';

export const GET = route({ access: 'member', input: ZDirectoryQuery }, async ({ db, input }) => ({ entries: await searchDirectory(db, input.q) }));
