import { z } from 'zod';
import { ZEnvelope } from '@/lib/accounts/schemas';

const ZLookup = z.string().regex(/^[0-9a-f]{64}$/, 'bad_format');

export const ZAppointmentFields = z.object({
  startsAt: z.coerce.date().refine((d) => !Number.isNaN(d.getTime()), 'invalid'),
  durationMin: z.coerce.number().int().min(5, 'invalidChoice').max(480, 'invalidChoice'),
  holderId: z.string().uuid(),
  recordEnc: ZEnvelope,
});

export const ZAppointmentCreate = ZAppointmentFields.extend({
  id: z.string().uuid(),
  patientLookup: ZLookup,
  hostLookup: ZLookup,
  hostWrap: ZEnvelope,
});

/** New codes for an appointment, made in an admin's browser: the record sealed again with them, and what the server may hold of them. */
export const ZNewCodes = z.object({ recordEnc: ZEnvelope, patientLookup: ZLookup, hostLookup: ZLookup, hostWrap: ZEnvelope });
export type TNewCodes = z.infer<typeof ZNewCodes>;

export const ZRange = z.object({
  from: z.coerce.date().optional(),
  to: z.coerce.date().optional(),
});

export const ZLookupInput = z.object({ lookup: ZLookup });
