import { describe, expect, it } from 'vitest';
import { encodeAd } from '@/lib/crypto/ad';
import { utf8Encode } from '@/lib/crypto/encoding';
import { randomKey } from '@/lib/crypto/random';
import type { OrgKey } from '@/lib/crypto/types';
import { openRecord, patientLink, recordAd, renewCodes, sealRecord, type PatientRecord } from './appointments';
import { unwrapPatientCode } from './video';

const ORG = '0b6f1c9e-4d1a-4a57-9a53-1c2f0e6d7a10';
const APPT = '7b0e4a52-9d0c-4c53-8f43-0f0d0d2b9a11';
const record: PatientRecord = {
  patientName: 'Erika Mustermann',
  birthDate: '1964-08-12',
  phone: '',
  email: 'erika@example.org',
  note: '',
  doctorCode: 'ABCD-EFGH-JKLM-NPQR',
  patientCode: 'STUV-WXYZ-2345-6789',
};

describe('the patient record', () => {
  it('is bound to table appointments, the appointment, the organisation and field record', () => {
    expect(encodeAd(recordAd(ORG, APPT))).toEqual(utf8Encode(`konsil/v1\u0000appointments\u0000${APPT}\u0000${ORG}\u0000record`));
  });

  it('opens under orgKey for its own appointment only', () => {
    const orgKey = randomKey<OrgKey>();
    const recordEnc = sealRecord(orgKey, ORG, APPT, record);
    expect(openRecord(orgKey, ORG, { id: APPT, recordEnc })).toEqual(record);
    expect(openRecord(orgKey, ORG, { id: crypto.randomUUID(), recordEnc })).toBeNull();
    expect(openRecord(orgKey, crypto.randomUUID(), { id: APPT, recordEnc })).toBeNull();
    expect(openRecord(randomKey<OrgKey>(), ORG, { id: APPT, recordEnc })).toBeNull();
  });

  it('gets new codes with the rest kept, and the doctor code opens the new patient code', async () => {
    const orgKey = randomKey<OrgKey>();
    const renewed = await renewCodes(orgKey, ORG, { id: APPT, recordEnc: sealRecord(orgKey, ORG, APPT, record) });
    expect(renewed).not.toBeNull();
    const { record: next, body } = renewed!;
    expect(next.doctorCode).not.toBe(record.doctorCode);
    expect(next.patientCode).not.toBe(record.patientCode);
    expect({ ...next, doctorCode: record.doctorCode, patientCode: record.patientCode }).toEqual(record);
    expect(openRecord(orgKey, ORG, { id: APPT, recordEnc: body.recordEnc })).toEqual(next);
    expect(unwrapPatientCode(next.doctorCode, body.hostWrap, APPT)).toBe(next.patientCode);
  }, 60_000);

  it('that does not open gets no new codes', async () => {
    const recordEnc = sealRecord(randomKey<OrgKey>(), ORG, APPT, record);
    expect(await renewCodes(randomKey<OrgKey>(), ORG, { id: APPT, recordEnc })).toBeNull();
  });
});

describe('the patient link', () => {
  it('carries the code in the fragment', () => {
    expect(patientLink('https://konsil.example', 'ABCD-EFGH-JKLM-NPQR')).toBe('https://konsil.example/join#ABCD-EFGH-JKLM-NPQR');
  });
});
