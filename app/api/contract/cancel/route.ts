// POST /api/contract/cancel — "Vertrag kündigen und Daten löschen" (main user only; the confirmation is required).
import { z } from 'zod';
import { route } from '@/lib/auth/route';
import { cancelContract } from '@/lib/contracts/service';

export const POST = route(
  { access: 'member', input: z.object({ confirmDeletion: z.literal(true, { message: 'mustAccept' }) }) },
  async ({ db, session }) => cancelContract(db, session),
);
