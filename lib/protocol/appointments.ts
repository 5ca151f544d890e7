// An appointment's part of the E2E protocol: the patient record, sealed in
// the practice's browser under orgKey and bound to the appointment's row, and
// the two access codes it carries. Pure and isomorphic: runs in the browser
// and in tests.
import { decryptJson, encryptJson, type AdContext } from '@/lib/crypto/envelope';
import type { OrgKey } from '@/lib/crypto/types';
import { generateAccessCode, joinLookup, wrapPatientCode } from './video';

export type PatientRecord = {
  patientName: string;
  birthDate: string; // YYYY-MM-DD or ''
  phone: string;
  email: string;
  note: string;
  doctorCode: string;
  patientCode: string;
};

/** A sealed record with the id of the appointment it is bound to. */
export type SealedRecord = { id: string; recordEnc: string };

export const recordAd = (orgId: string, id: string): AdContext => ({ table: 'appointments', row: id, org: orgId, field: 'record' });

export function sealRecord(orgKey: OrgKey, orgId: string, id: string, record: PatientRecord): string {
  return encryptJson(orgKey, record, recordAd(orgId, id));
}

export function openRecord(orgKey: OrgKey, orgId: string, row: SealedRecord): PatientRecord | null {
  try {
    return decryptJson<PatientRecord>(orgKey, row.recordEnc, recordAd(orgId, row.id));
  } catch {
    return null;
  }
}

/** A new appointment's codes and what the server may hold of them; `lookup` computes joinLookup (tests pass Node's native scrypt). */
export async function newCodes(appointmentId: string, lookup: (code: string) => Promise<string> = joinLookup) {
  const doctorCode = generateAccessCode();
  let patientCode = generateAccessCode();
  while (patientCode === doctorCode) patientCode = generateAccessCode();
  const [patientLookup, hostLookup] = await Promise.all([lookup(patientCode), lookup(doctorCode)]);
  return {
    doctorCode,
    patientCode,
    patientLookup,
    hostLookup,
    hostWrap: wrapPatientCode(doctorCode, patientCode, appointmentId),
  };
}

/**
 * New codes for an existing appointment (an admin's browser, after a member
 * who could read the old ones was removed): the record sealed again with them,
 * and what the server may hold of them. Null if the record does not open.
 */
export async function renewCodes(orgKey: OrgKey, orgId: string, row: SealedRecord) {
  const record = openRecord(orgKey, orgId, row);
  if (!record) return null;
  const codes = await newCodes(row.id);
  const renewed: PatientRecord = { ...record, doctorCode: codes.doctorCode, patientCode: codes.patientCode };
  return {
    record: renewed,
    body: { recordEnc: sealRecord(orgKey, orgId, row.id, renewed), patientLookup: codes.patientLookup, hostLookup: codes.hostLookup, hostWrap: codes.hostWrap },
  };
}

/** The patient's link: the code sits in the fragment, which browsers never send to a server. */
export function patientLink(origin: string, code: string): string {
  return `${origin}/join#${code}`;
}
