// POST /api/members/invitations — create a one-time invitation link (optionally e-mailed)
import { z } from 'zod';
import { route } from '@/lib/auth/route';
import { createInvitation } from '@/lib/members/service';
import { isValidEmail } from '@/lib/validation';

const ZInput = z.object({
  role: z.enum(['admin', 'member']),
  label: z.string().trim().max(100, 'tooLong').optional(),
  email: z
    .string()
    .trim()
    .max(254)
    .refine((s) => s === '' || isValidEmail(s), 'invalidEmail')
    .optional(),
  locale: z.enum(['de', 'en']).default('de'),
});

export const POST = route({ access: 'admin', input: ZInput }, ({ db, session, input }) =>
  createInvitation(db, session, { ...input, email: input.email || undefined }),
);
