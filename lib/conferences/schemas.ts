import { z } from 'zod';
import { AppError } from '@/lib/core/errors';
import { ZEnvelope } from '@/lib/protocol/wire';
import { MESH_MAX_PARTICIPANTS } from '@/lib/protocol/conference';

const ZLookup = z.string().regex(/^[0-9a-f]{64}$/, 'bad_format');

/** A guest invitation as the server may hold it: the code's lookup and the conference key wrapped under it. */
export const ZConferenceGuestWire = z.object({ id: z.string().uuid(), lookup: ZLookup, keyWrap: ZEnvelope });

/** A new conference: id and record made in the browser (the record is sealed there, bound to the id). */
export const ZCreateConference = z.object({
  id: z.string().uuid(),
  startsAt: z.coerce.date().refine((d) => !Number.isNaN(d.getTime()), 'invalid'),
  durationMin: z.coerce.number().int().min(5, 'invalidChoice').max(480, 'invalidChoice'),
  recordEnc: ZEnvelope,
  memberIds: z.array(z.string().uuid()).max(MESH_MAX_PARTICIPANTS * 10),
  guests: z.array(ZConferenceGuestWire).max(20),
});
export type TCreateConference = z.infer<typeof ZCreateConference>;

/**
 * The form as the host fills it in. Title and guests' names are sealed in the
 * browser, so these rules run there only.
 */
export const ZConferenceForm = z
  .object({
    title: z.string().max(200, 'tooLong').refine((s) => s.trim() !== '', 'required'),
    note: z.string().max(2000, 'tooLong'),
    when: z.enum(['now', 'later']),
    date: z.string(),
    time: z.string(),
    durationMin: z.coerce.number().int().min(5, 'invalidChoice').max(480, 'invalidChoice'),
    memberIds: z.array(z.string()),
    guests: z.array(z.object({ name: z.string().max(80, 'tooLong').refine((s) => s.trim() !== '', 'required') })).max(20, 'tooMany'),
  })
  .superRefine((f, ctx) => {
    if (f.when !== 'later') return;
    if (!/^\d{4}-\d{2}-\d{2}$/.test(f.date)) ctx.addIssue({ code: 'custom', path: ['date'], message: 'required' });
    if (!/^\d{2}:\d{2}$/.test(f.time)) ctx.addIssue({ code: 'custom', path: ['time'], message: 'required' });
  });
export type TConferenceForm = z.input<typeof ZConferenceForm>;

/** A guest enters by code: the lookup, and their name sealed under the conference key. */
export const ZGuestEnter = z.object({ lookup: ZLookup, nameEnc: ZEnvelope });

export const ZConferenceSignal = z.object({ to: z.string().uuid(), payload: z.string().min(1).max(64_000) });

export const ZParticipantAction = z.object({ participantId: z.string().uuid() });

export function conferenceIdParam(params: Record<string, string>): string {
  const r = z.string().uuid().safeParse(params.id);
  if (!r.success) throw new AppError('not_found');
  return r.data;
}
