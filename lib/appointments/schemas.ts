import { z } from 'zod';
import { ZEnvelope } from '@/lib/protocol/wire';
import { normalizeContactPhone } from '@/lib/validation/phone';

const ZLookup = z.string().regex(/^[0-9a-f]{64}$/, 'bad_format');

export const ZAppointmentFields = z.object({
  startsAt: z.coerce.date().refine((d) => !Number.isNaN(d.getTime()), 'invalid'),
  durationMin: z.coerce.number().int().min(5, 'invalidChoice').max(480, 'invalidChoice'),
  holderId: z.string().uuid(),
  recordEnc: ZEnvelope,
});

/** A date of birth the form takes: a real day, not in the future, not before 1900. */
function isPlausibleBirthDate(date: string, now = new Date()): boolean {
  const b = new Date(`${date}T00:00:00Z`);
  return !Number.isNaN(b.getTime()) && b <= now && b.getUTCFullYear() >= 1900;
}

/**
 * The appointment form as the practice fills it in: a Berlin date and time
 * (sent as startsAt), the duration and holder, and the patient's record in the
 * clear. The record is sealed in the browser, so its rules run there only.
 */
export const ZAppointmentForm = ZAppointmentFields.pick({ durationMin: true }).extend({
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'required'),
  time: z.string().regex(/^\d{2}:\d{2}$/, 'required'),
  holderId: z.string().min(1, 'required'),
  // Too long before empty: a name of 201 spaces is reported as too long.
  patientName: z.string().max(200, 'tooLong').refine((s) => s.trim() !== '', 'required'),
  birthDate: z.string().refine((s) => s === '' || isPlausibleBirthDate(s), 'birthDateInvalid'),
  phone: z.string().refine((s) => s.trim() === '' || !!normalizeContactPhone(s), 'invalidPhone'),
  email: z.string().refine((s) => s === '' || /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(s.trim()), 'invalidEmail'),
  note: z.string().max(4000, 'tooLong'),
});
export type TAppointmentForm = z.input<typeof ZAppointmentForm>;

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

/** Hours before the appointment at which a reminder may go out. */
export const REMINDER_HOURS = [24, 1] as const;

/** A manual invitation (only counted), or one Konsil sends by e-mail or SMS (plan plus). */
export const ZInvite = z.discriminatedUnion('channel', [
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
export type TInvite = z.infer<typeof ZInvite>;
