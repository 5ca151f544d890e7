// Appointments made in Node exactly as the browser's form makes them: fresh
// codes, the patient record sealed under the organisation key and bound to the
// row, and only lookups and the wrapped patient code sent to the server.
import { webcrypto } from 'node:crypto';
import type { APIRequestContext } from '@playwright/test';
import { newCodes, patientLink, sealRecord, type PatientRecord } from '@/lib/protocol/appointments';
import type { OrgKey } from '@/lib/crypto/types';

export type ApiAccount = { orgId: string; userId: string; orgKey: OrgKey };
export type Patient = Omit<PatientRecord, 'doctorCode' | 'patientCode'>;
export type CreatedAppointment = { id: string; patientCode: string; doctorCode: string; startsAt: string };

/** POST /api/appointments with a signed-in request context; starts now (whole minute, as the form does) unless told otherwise. */
export async function createAppointmentViaApi(
  request: APIRequestContext,
  account: ApiAccount,
  patient: Patient,
  opts: { minutesFromNow?: number; durationMin?: number } = {},
): Promise<CreatedAppointment> {
  const id = webcrypto.randomUUID();
  const codes = await newCodes(id);
  const record: PatientRecord = { ...patient, doctorCode: codes.doctorCode, patientCode: codes.patientCode };
  const at = new Date(Date.now() + (opts.minutesFromNow ?? 0) * 60_000);
  at.setUTCSeconds(0, 0);
  const res = await request.post('/api/appointments', {
    data: {
      id,
      startsAt: at.toISOString(),
      durationMin: opts.durationMin ?? 30,
      holderId: account.userId,
      recordEnc: sealRecord(account.orgKey, account.orgId, id, record),
      patientLookup: codes.patientLookup,
      hostLookup: codes.hostLookup,
      hostWrap: codes.hostWrap,
    },
  });
  if (res.status() !== 200) throw new Error(`POST /api/appointments: HTTP ${res.status()} ${await res.text()}`);
  return { id, patientCode: codes.patientCode, doctorCode: codes.doctorCode, startsAt: at.toISOString() };
}

export { patientLink };
