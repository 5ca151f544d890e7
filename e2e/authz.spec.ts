import { test, expect, request as pwRequest, type APIRequestContext } from '@playwright/test';
import { createApiAppointment, registerViaApi } from './fixtures/api-account';
import { sealNote } from '@/lib/protocol/notes';
import { prepareInvitation } from '@/lib/protocol/trust';

// Every authenticated route: refused without a session, and a member of
// another organisation gets nothing of this one (404, never its data).
test.describe.configure({ mode: 'serial' });

let a: APIRequestContext;
let b: APIRequestContext;
let anon: APIRequestContext;
let orgA: Awaited<ReturnType<typeof registerViaApi>>;
let noteId: string;
let invitationId: string;
let appointmentId: string;
let appointmentBody: Record<string, unknown>;

test.beforeAll(async ({ baseURL }) => {
  a = await pwRequest.newContext({ baseURL });
  b = await pwRequest.newContext({ baseURL });
  anon = await pwRequest.newContext({ baseURL });
  orgA = await registerViaApi(a);
  await registerViaApi(b);
  noteId = crypto.randomUUID();
  const bodyEnc = sealNote(orgA.orgKey, orgA.orgId, noteId, 'Befund Herr Mustermann');
  expect((await a.post('/api/notes', { data: { id: noteId, bodyEnc } })).status()).toBe(200);
  const { token, secretEnc, introMac } = prepareInvitation({ orgKey: orgA.orgKey, orgId: orgA.orgId, orgPublicKey: orgA.orgPublicKey, orgSignPublic: orgA.orgSignPublic });
  const inv = await a.post('/api/members/invitations', { data: { role: 'member', label: 'Praxisteam', token, secretEnc, introMac } });
  expect(inv.status()).toBe(200);
  invitationId = (await (await a.get('/api/members')).json()).invitations[0].id;
  ({ id: appointmentId, body: appointmentBody } = await createApiAppointment(a, orgA, { patientName: 'Max Mustermann', birthDate: '1970-01-01' }, new Date()));
});

test.afterAll(async () => {
  await Promise.all([a?.dispose(), b?.dispose(), anon?.dispose()]);
});

test('without a session every authenticated route answers 401', async () => {
  const id = crypto.randomUUID();
  const calls = [
    anon.get('/api/keys'),
    anon.post('/api/session/lock', { data: {} }),
    anon.post('/api/org/confirm-email/resend', { data: {} }),
    anon.post('/api/session/unlock', { data: { authKey: 'A'.repeat(43) } }),
    anon.get('/api/devices'),
    anon.get('/api/members'),
    anon.get('/api/notes'),
    anon.post('/api/notes', { data: {} }),
    anon.delete(`/api/notes/${id}`, { data: {} }),
    anon.post(`/api/devices/${id}/approve`, { data: {} }),
    anon.post('/api/members/invitations', { data: { role: 'member' } }),
    anon.delete(`/api/members/invitations/${id}`, { data: {} }),
    anon.post(`/api/members/${id}/confirm`, { data: {} }),
    anon.post(`/api/members/${id}/remove`, { data: {} }),
    anon.post(`/api/members/${id}/messaging`, { data: { allowed: true } }),
    anon.get('/api/appointments'),
    anon.post('/api/appointments', { data: {} }),
    anon.get(`/api/appointments/${id}`),
    anon.patch(`/api/appointments/${id}`, { data: {} }),
    anon.post(`/api/appointments/${id}/cancel`, { data: {} }),
    anon.post(`/api/appointments/${id}/host`, { data: {} }),
    anon.post(`/api/appointments/${id}/invite`, { data: { channel: 'manual' } }),
    anon.get('/api/appointments/stale-codes'),
    anon.post(`/api/appointments/${id}/codes`, { data: {} }),
    anon.get('/api/calls/waiting'),
    anon.get('/api/calls/waiting/stream'),
    anon.get('/api/contract'),
    anon.post('/api/contract/upgrade', { data: { useExistingMandate: true } }),
    anon.post('/api/contract/downgrade', { data: {} }),
    anon.post('/api/contract/cancel', { data: { confirmDeletion: true } }),
    anon.post('/api/contract/revoke', { data: {} }),
    anon.get(`/api/contract/invoices/${id}/pdf`),
    anon.get('/api/directory?q=praxis'),
    anon.get(`/api/directory/${id}`),
    anon.put(`/api/directory/${id}/pin`, { data: {} }),
    anon.get('/api/org/directory'),
    anon.put('/api/org/directory', { data: { directoryVisible: true } }),
    anon.get('/api/mailboxes'),
    anon.post('/api/mailboxes', { data: {} }),
    anon.put(`/api/mailboxes/${id}/access`, { data: {} }),
    anon.put(`/api/mailboxes/${id}/notice`, { data: {} }),
    anon.get(`/api/directory/${id}/pin`),
    anon.get('/api/studies?box=inbox'),
    anon.post('/api/studies', { data: {} }),
    anon.get(`/api/studies/${id}`),
    anon.delete(`/api/studies/${id}`, { data: {} }),
    anon.post(`/api/studies/${id}/receipts`, { data: {} }),
    anon.get(`/api/studies/${id}/files/${id}`),
    anon.get('/api/studies/stream'),
    anon.post('/api/studies/uploads', { headers: { 'tus-resumable': '1.0.0', 'upload-length': '10' } }),
    anon.head(`/api/studies/uploads/${id}.${id}.${id}`, { headers: { 'tus-resumable': '1.0.0' } }),
    anon.patch(`/api/studies/uploads/${id}.${id}.${id}`, { headers: { 'tus-resumable': '1.0.0', 'upload-offset': '0', 'content-type': 'application/offset+octet-stream' }, data: Buffer.from('x') }),
    anon.get('/api/org/studies'),
    anon.put('/api/org/studies', { data: { retentionDays: 30 } }),
    anon.get('/api/stats'),
    anon.get('/api/stats/export?from=2026-01&to=2026-06'),
    anon.post('/api/colleague-calls', { data: { calleeId: id } }),
    anon.get('/api/colleague-calls/missed'),
    anon.get('/api/colleague-calls/stream'),
    anon.get(`/api/colleague-calls/${id}`),
    anon.get(`/api/colleague-calls/${id}/stream`),
    anon.post(`/api/colleague-calls/${id}/accept`, { data: {} }),
    anon.post(`/api/colleague-calls/${id}/decline`, { data: {} }),
    anon.post(`/api/colleague-calls/${id}/hangup`, { data: {} }),
    anon.post(`/api/colleague-calls/${id}/dismiss`, { data: {} }),
    anon.post(`/api/colleague-calls/${id}/signal`, { data: { payload: 'v1.a.b' } }),
    anon.get('/api/conferences'),
    anon.post('/api/conferences', { data: {} }),
    anon.get(`/api/conferences/${id}`),
    anon.post(`/api/conferences/${id}/enter`, { data: {} }),
    anon.post(`/api/conferences/${id}/end`, { data: {} }),
    // The room's routes take a conference token instead of a session.
    anon.get('/api/conferences/room'),
    anon.get('/api/conferences/room/stream'),
    anon.post('/api/conferences/room/signal', { data: { to: id, payload: 'v1.a.b' } }),
    anon.post('/api/conferences/room/admit', { data: { participantId: id } }),
    anon.post('/api/conferences/room/remove', { data: { participantId: id } }),
    anon.post('/api/conferences/room/leave', { data: {} }),
    anon.post('/api/conferences/room/end', { data: {} }),
    anon.post('/api/conferences/room/livekit', { data: {} }),
  ];
  for (const res of await Promise.all(calls)) {
    expect(res.status(), res.url()).toBe(401);
    // HEAD answers carry no body.
    const code = res.url().includes('/api/conferences/room') ? 'call_token_invalid' : 'unauthenticated';
    if (res.headers()['content-length'] !== '0' && (await res.body()).length) expect(await res.json()).toEqual({ error: { code } });
  }
});

test("another organisation's admin reaches none of this organisation's resources", async () => {
  const notes = await (await b.get('/api/notes')).json();
  expect(notes.notes.map((n: { id: string }) => n.id)).not.toContain(noteId);
  const members = await (await b.get('/api/members')).json();
  expect(members.members.map((m: { id: string }) => m.id)).not.toContain(orgA.userId);
  expect(members.invitations).toEqual([]);
  const devices = await (await b.get('/api/devices')).json();
  expect(devices.devices.map((d: { id: string }) => d.id)).not.toContain(orgA.deviceId);
  const keys = await (await b.get('/api/keys')).json();
  expect(keys.orgId).not.toBe(orgA.orgId);

  expect((await b.delete(`/api/notes/${noteId}`, { data: {} })).status()).toBe(404);
  expect((await b.post(`/api/devices/${orgA.deviceId}/revoke`, { data: {} })).status()).toBe(404);
  expect((await b.delete(`/api/members/invitations/${invitationId}`, { data: {} })).status()).toBe(404);
  expect((await b.post(`/api/members/${orgA.userId}/remove`, { data: {} })).status()).toBe(404);
  expect((await b.post(`/api/members/${orgA.userId}/messaging`, { data: { allowed: true } })).status()).toBe(404);
  // A well-formed, signed grant for a foreign member is refused all the same.
  const sealed = `s1.${'A'.repeat(43)}.${'B'.repeat(32)}.${'C'.repeat(40)}`;
  const grant = { sealedOrgKey: sealed, sealedOrgKeySig: 'S'.repeat(86), memberCert: 'M'.repeat(86) };
  expect((await b.post(`/api/members/${orgA.userId}/confirm`, { data: grant })).status()).toBe(404);

  const appts = await (await b.get('/api/appointments')).json();
  expect(appts.appointments.map((x: { id: string }) => x.id)).not.toContain(appointmentId);
  expect((await b.get(`/api/appointments/${appointmentId}`)).status()).toBe(404);
  expect((await b.patch(`/api/appointments/${appointmentId}`, { data: { ...appointmentBody, holderId: orgA.userId } })).status()).toBe(404);
  expect((await b.post(`/api/appointments/${appointmentId}/cancel`, { data: {} })).status()).toBe(404);
  expect((await b.post(`/api/appointments/${appointmentId}/host`, { data: {} })).status()).toBe(404);
  expect((await b.post(`/api/appointments/${appointmentId}/invite`, { data: { channel: 'manual' } })).status()).toBe(404);
  expect((await (await b.get('/api/appointments/stale-codes')).json()).appointments).toEqual([]);
  // Well-formed new codes for a foreign appointment are refused.
  const lookup = (c: string) => c.repeat(64);
  const env = `v1.${'A'.repeat(32)}.${'B'.repeat(40)}`;
  expect((await b.post(`/api/appointments/${appointmentId}/codes`, { data: { recordEnc: env, patientLookup: lookup('a'), hostLookup: lookup('b'), hostWrap: env } })).status()).toBe(404);
  expect((await (await b.get('/api/calls/waiting')).json()).rooms).toEqual([]);
  // Studies: none of A's, and no way to upload into a study of A's (A's own study tests in e2e/studies.spec.ts).
  expect((await (await b.get('/api/studies?box=inbox')).json()).studies).toEqual([]);
  expect((await b.get(`/api/studies/${noteId}`)).status()).toBe(404);
  expect((await b.post('/api/studies/uploads', { headers: { 'tus-resumable': '1.0.0', 'upload-length': '10', 'upload-metadata': `studyId ${Buffer.from(noteId).toString('base64')},fileId ${Buffer.from(noteId).toString('base64')}` } })).status()).toBe(404);
  expect((await b.put('/api/org/studies', { data: { retentionDays: 30 } })).status()).toBe(200);
  expect((await (await a.get('/api/org/studies')).json()).retentionDays).toBeNull();

  // The contract: B reads and changes only its own; A's stays as it was.
  const contractB = await (await b.get('/api/contract')).json();
  expect(contractB.organisation.shortName).not.toBe(orgA.orgShortName);
  expect((await b.post('/api/contract/cancel', { data: { confirmDeletion: true } })).status()).toBe(200);
  expect((await (await a.get('/api/contract')).json()).cancellation).toBeNull();
  expect((await b.post('/api/contract/revoke', { data: {} })).status()).toBe(200);
  expect((await b.get(`/api/contract/invoices/${crypto.randomUUID()}/pdf`)).status()).toBe(404);
  // Statistics: B's own only; A's member ids are unknown to B (e2e/stats.spec.ts: a member sees their own figures only).
  const statsB = await (await b.get('/api/stats')).json();
  expect(statsB.memberOptions.map((m: { id: string }) => m.id)).not.toContain(orgA.userId);
  expect(JSON.stringify(statsB)).not.toContain(orgA.userId);
  expect((await b.get(`/api/stats?member=${orgA.userId}`)).status()).toBe(404);
  expect((await b.get(`/api/stats/export?member=${orgA.userId}`)).status()).toBe(404);

  // Calls between colleagues: A's members cannot be called from B; a call id is nobody else's (e2e/colleague-call.spec.ts: a real call).
  expect((await b.post('/api/colleague-calls', { data: { calleeId: orgA.userId } })).status()).toBe(404);
  expect((await (await b.get('/api/colleague-calls/missed')).json()).calls).toEqual([]);
  const callId = crypto.randomUUID();
  expect((await b.get(`/api/colleague-calls/${callId}`)).status()).toBe(404);
  expect((await b.get(`/api/colleague-calls/${callId}/stream`)).status()).toBe(404);
  expect((await b.post(`/api/colleague-calls/${callId}/dismiss`, { data: {} })).status()).toBe(404);
  for (const action of ['accept', 'decline', 'hangup']) expect((await b.post(`/api/colleague-calls/${callId}/${action}`, { data: {} })).status()).toBe(404);
  expect((await b.post(`/api/colleague-calls/${callId}/signal`, { data: { payload: 'v1.a.b' } })).status()).toBe(404);
  expect((await b.get('/api/colleague-calls/not-a-uuid')).status()).toBe(404);
  // Conferences: none of A's, by id neither (e2e/conference.spec.ts: a real one, its lobby and its room).
  expect((await (await b.get('/api/conferences')).json()).conferences).toEqual([]);
  for (const path of ['', '/enter', '/end']) {
    const res = path ? await b.post(`/api/conferences/${callId}${path}`, { data: {} }) : await b.get(`/api/conferences/${callId}`);
    expect(res.status()).toBe(404);
  }
  expect((await b.get('/api/conferences/not-a-uuid')).status()).toBe(404);
  expect((await b.get('/api/conferences/room', { headers: { 'x-conference-token': 'x'.repeat(43) } })).status()).toBe(401);

  // Nothing changed for A.
  const mine = await (await a.get(`/api/appointments/${appointmentId}`)).json();
  expect(mine.appointment.state).toBe('scheduled');
  expect((await (await a.get('/api/notes')).json()).notes.map((n: { id: string }) => n.id)).toContain(noteId);
  expect((await (await a.get('/api/members')).json()).invitations).toHaveLength(1);
  expect((await a.get('/api/keys')).status()).toBe(200);
});

test('malformed input gets 422 with field codes, unknown ids 404, and no internals', async () => {
  const cases = [
    await a.post('/api/notes', { data: { id: 'not-a-uuid', bodyEnc: 'plain text' } }),
    await a.post('/api/members/invitations', { data: { role: 'owner', email: 'nope' } }),
    await a.post(`/api/members/${crypto.randomUUID()}/confirm`, { data: { sealedOrgKey: 'x' } }),
    await a.post('/api/session/login', { data: { orgShortName: ' ', userShortName: 'x', authKey: 'short' } }),
    await a.post('/api/recover/complete', { data: { orgShortName: 'a b' } }),
    await a.post('/api/invitations/accept', { data: { token: 'x' } }),
    await a.post('/api/appointments', { data: { id: 'x', startsAt: 'gestern', durationMin: 2, recordEnc: 'Max Mustermann' } }),
    await a.patch(`/api/appointments/${appointmentId}`, { data: { durationMin: 9999 } }),
    await a.post(`/api/appointments/${appointmentId}/invite`, { data: { channel: 'fax' } }),
    await a.post(`/api/appointments/${appointmentId}/codes`, { data: { recordEnc: 'Max Mustermann', patientLookup: 'x' } }),
    await anon.post('/api/join/lookup', { data: { lookup: 'ABCD-EFGH-JKLM' } }),
    await a.post('/api/contract/cancel', { data: { confirmDeletion: false } }),
    await a.post('/api/contract/upgrade', { data: { accountHolder: 'X', iban: 'DE00 1234', bic: '??', sepaMandate: false } }),
    await a.post('/api/session/unlock', { data: { authKey: 'kurz' } }),
    await a.post(`/api/members/${crypto.randomUUID()}/messaging`, { data: { allowed: 'ja' } }),
    await anon.post('/api/org/confirm-email', { data: { token: 'kurz' } }),
    await a.get(`/api/directory?q=${'x'.repeat(201)}`),
    await a.put(`/api/directory/${crypto.randomUUID()}/pin`, { data: { pinEnc: 'Klartext', signature: 'x' } }),
    await a.put('/api/org/directory', { data: { directoryVisible: 'ja' } }),
    await a.post('/api/mailboxes', { data: { id: 'x', name: '', members: [], key: { version: 1, publicKey: 'Radiologie' }, grants: [] } }),
    await a.put(`/api/mailboxes/${crypto.randomUUID()}/access`, { data: { members: 'alle', grants: [] } }),
    await a.put(`/api/mailboxes/${crypto.randomUUID()}/notice`, { data: { email: 'unfallchirurgie(at)klinik' } }),
    await a.get('/api/studies?box=alles'),
    await a.post('/api/studies', { data: { id: crypto.randomUUID(), manifestEnc: 'Patient Max Mustermann', files: [] } }),
    await a.post(`/api/studies/${crypto.randomUUID()}/receipts`, { data: { kind: 'gelesen', at: 'gestern' } }),
    await a.put('/api/org/studies', { data: { retentionDays: 0 } }),
    await a.get('/api/stats?from=2026-07&to=2026-01'),
    await a.get('/api/stats?from=2024-01&to=2026-06'),
    await a.get('/api/stats/export?from=Januar'),
    await a.get('/api/stats?member=alle'),
    // The test clock exists in this suite's server only (KONSIL_TEST_CLOCK, loopback; see test/integration/test-clock.test.ts).
    await anon.post('/api/test/clock', { data: { at: 'morgen' } }),
  ];
  for (const res of cases) {
    expect(res.status(), res.url()).toBe(422);
    const body = await res.json();
    expect(body.error.code).toBe('validation');
    expect(Object.keys(body.error.fields ?? {}).length).toBeGreaterThan(0);
    expect(JSON.stringify(body)).not.toMatch(/ at |stack|Zod|SELECT|postgres/i);
  }
  expect((await a.post(`/api/devices/${crypto.randomUUID()}/approve`, { data: {} })).status()).toBe(404);
  expect((await a.put(`/api/mailboxes/${crypto.randomUUID()}/notice`, { data: { email: '' } })).status()).toBe(404);
  expect((await a.post('/api/devices/not-a-uuid/approve', { data: {} })).status()).toBe(404);
  expect((await a.post(`/api/devices/${orgA.deviceId}/explode`, { data: {} })).status()).toBe(404);
  // An existing note id is a conflict, not a 500 and not an overwrite.
  const again = await a.post('/api/notes', { data: { id: noteId, bodyEnc: sealNote(orgA.orgKey, orgA.orgId, noteId, 'x') } });
  expect(again.status()).toBe(409);
  // Call routes need a call token: without one, a coded 401 (and the stream too).
  for (const res of [
    await anon.get('/api/calls/stream'),
    await anon.get('/api/calls/stream', { headers: { 'x-call-token': 'forged' } }),
    await anon.post('/api/calls/signal', { data: { payload: 'v1.a.b' } }),
    await anon.post('/api/calls/admit', { data: { participantId: crypto.randomUUID() } }),
    await anon.post('/api/calls/leave', { data: {} }),
    await anon.post('/api/calls/screen-share', { headers: { 'x-call-token': 'x'.repeat(43) }, data: {} }),
  ]) {
    expect(res.status(), res.url()).toBe(401);
    expect(await res.json()).toEqual({ error: { code: 'call_token_invalid' } });
  }
  // Cross-site form posts are refused before any work is done.
  // An unknown confirmation link is refused as such; confirming twice is not possible (orgA is confirmed already).
  expect((await anon.post('/api/org/confirm-email', { data: { token: 'A'.repeat(43) } })).status()).toBe(410);
  expect((await a.post('/api/org/confirm-email/resend', { data: {} })).status()).toBe(409);
  const csrf = await a.post('/api/notes', { headers: { origin: 'https://evil.example' }, data: {} });
  expect(csrf.status()).toBe(403);
  const clockCsrf = await anon.post('/api/test/clock', { headers: { origin: 'https://evil.example' }, data: { at: null } });
  expect(clockCsrf.status()).toBe(403);
});

test('the directory shows only who chose to be listed; a partner list is its organisation’s own', async ({ baseURL }) => {
  const word = `Verzeichnis${crypto.randomUUID().replace(/[^a-f]/g, '').slice(0, 8)}`;
  const c = await pwRequest.newContext({ baseURL });
  const orgC = await registerViaApi(c, { orgName: `Radiologie ${word}` });
  const search = async (ctx: APIRequestContext) => ((await (await ctx.get(`/api/directory?q=${word}`)).json()).entries as { id: string }[]).map((e) => e.id);
  // Not listed: not found, and not readable by id.
  expect(await search(b)).toEqual([]);
  expect((await b.get(`/api/directory/${orgC.orgId}`)).status()).toBe(404);
  expect((await (await c.get('/api/org/directory')).json()).directoryVisible).toBe(false);
  // Listed by its admin: found by every organisation, with its keys.
  expect((await c.put('/api/org/directory', { data: { directoryVisible: true } })).status()).toBe(200);
  expect(await search(b)).toEqual([orgC.orgId]);
  const seen = await (await b.get(`/api/directory/${orgC.orgId}`)).json();
  expect(seen.entry.publicKey).toBe(orgC.orgPublicKey);
  expect(seen.pin).toBeNull();
  // B's pin of C is B's: neither C nor A sees it, and B's listing switch changes only B.
  const pin = { pinEnc: `v1.${'A'.repeat(32)}.${'B'.repeat(40)}`, signature: 'S'.repeat(86) };
  expect((await b.put(`/api/directory/${orgC.orgId}/pin`, { data: pin })).status()).toBe(200);
  expect((await (await b.get(`/api/directory/${orgC.orgId}`)).json()).pin.pinEnc).toBe(pin.pinEnc);
  expect((await (await a.get(`/api/directory/${orgC.orgId}`)).json()).pin).toBeNull();
  expect((await (await c.get(`/api/directory/${orgC.orgId}`)).json()).pin).toBeNull();
  expect((await b.put(`/api/directory/${crypto.randomUUID()}/pin`, { data: pin })).status()).toBe(404);
  expect((await b.put('/api/org/directory', { data: { directoryVisible: false } })).status()).toBe(200);
  expect(await search(a)).toEqual([orgC.orgId]);
  await c.dispose();
});
