// POST /api/appointments/:id/invite — count a manual invitation, or have Konsil send one (plan plus).
import { z } from 'zod';
import { route } from '@/lib/auth/route';
import { idParam } from '@/lib/auth/params';
import { inviteForAppointment, REMINDER_HOURS } from '@/lib/appointments/invite';

const ZInvite = z.discriminatedUnion('channel', [
  z.object({ channel: z.literal('manual') }),
  z.object({
    channel: z.enum(['email', 'sms']),
    to: z.string().trim().min(3, 'required').max(254),
    code: z.string().max(40),
    locale: z.enum(['de', 'en']).default('de'),
    invitation: z.boolean().default(true),
    reminders: z
      .array(z.number().int())
      .max(2)
      .default([])
      .refine((r) => r.every((h) => (REMINDER_HOURS as readonly number[]).includes(h)), 'bad_format'),
  }),
]);

export const POST = route({ access: 'member', input: ZInvite }, async ({ db, session, params, input }) => inviteForAppointment(db, session, idParam(params), input));
