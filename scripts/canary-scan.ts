// The proof that the server stores no patient data and no secret in clear:
// dumps the test database, reads the data and blob folders and the server
// log, and fails if any canary (a password, a derived key, a patient detail
// typed in a test) appears in any of them, in any common encoding.
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import postgres from 'postgres';
import { deriveMasterSecrets, derivePasswordSecrets, openBundleWithUserKey, unwrapUserKeyWithMaster, unwrapUserKeyWithPassword } from '../lib/protocol/account';
import { normalizeShortName } from '../lib/validation/rules';
import { fromB64u } from '../lib/crypto/encoding';
import type { KdfParams } from '../lib/crypto/kdf';
import type { UserKey } from '../lib/crypto/types';

type CanaryFile = {
  strings: { label: string; value: string }[];
  accounts: { orgShortName: string; userShortName: string; password: string; masterPassword: string }[];
};

const ARTIFACTS = path.resolve('artifacts');
const canaryFile = path.join(ARTIFACTS, 'canaries.json');

function encodings(bytes: Uint8Array): string[] {
  const b = Buffer.from(bytes);
  const std = b.toString('base64');
  return [b.toString('base64url'), std, std.replace(/=+$/, ''), b.toString('hex'), b.toString('hex').toUpperCase()];
}

async function main() {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is required');
  if (!fs.existsSync(canaryFile)) throw new Error(`${canaryFile} is missing: the end-to-end suite records its canaries there`);
  const canaries = JSON.parse(fs.readFileSync(canaryFile, 'utf8')) as CanaryFile;

  const needles: { label: string; text: string[]; bytes?: Uint8Array }[] = [];
  for (const s of canaries.strings) needles.push({ label: s.label, text: [s.value, ...encodings(Buffer.from(s.value))], bytes: Buffer.from(s.value) });

  // Every key the recorded accounts derive or unwrap, computed afresh from what the database holds.
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  let derived = 0;
  try {
    for (const a of canaries.accounts) {
      const [u] = await sql<{ id: string; org_id: string; kdf_params: KdfParams; kdf_salt: string; master_kdf_params: KdfParams; master_kdf_salt: string; wrapped_user_key_pw: string; wrapped_user_key_master: string; x25519_public: string; enc_x25519_private: string; enc_ed25519_private: string; sealed_org_key: string | null; sealed_org_key_sig: string | null; sealed_org_key_by: string | null; org_pin: string | null; status: string }[]>`
        select u.* from users u join organisations o on o.id = u.org_id
        where o.short_name_norm = ${normalizeShortName(a.orgShortName)} and u.short_name_norm = ${normalizeShortName(a.userShortName)}`;
      if (!u) continue;
      const [org] = await sql<{ public_key: string; enc_private_key: string; public_key_fingerprint: string; sign_public: string | null; enc_sign_private: string | null }[]>`
        select public_key, enc_private_key, public_key_fingerprint, sign_public, enc_sign_private from organisations where id = ${u.org_id}`;
      const [sealer] = u.sealed_org_key_by
        ? await sql<{ userId: string; orgId: string; x25519Public: string; ed25519Public: string; memberCert: string | null }[]>`
            select id as "userId", org_id as "orgId", x25519_public as "x25519Public", ed25519_public as "ed25519Public", member_cert as "memberCert"
            from users where id = ${u.sealed_org_key_by}`
        : [];
      const add = (label: string, bytes: Uint8Array) => {
        needles.push({ label: `${label} of ${a.userShortName}`, text: encodings(bytes), bytes });
        derived++;
      };
      // A password or master password that was replaced later no longer opens
      // the stored envelope (its salt is gone too); its string stays a canary,
      // and the keys are derived from whichever recorded secret is current.
      let userKey: UserKey | null = null;
      try {
        const master = await deriveMasterSecrets(a.masterPassword, u.master_kdf_params, u.master_kdf_salt, a);
        userKey = unwrapUserKeyWithMaster({ orgId: u.org_id, userId: u.id, wrappedUserKeyMaster: u.wrapped_user_key_master }, master.masterWrapKey);
        add('recoveryAuthKey', fromB64u(master.recoveryAuthKey));
        add('masterWrapKey', master.masterWrapKey);
      } catch {
        /* superseded master password */
      }
      try {
        const pw = await derivePasswordSecrets(a.password, u.kdf_params, u.kdf_salt, a);
        userKey = unwrapUserKeyWithPassword({ orgId: u.org_id, userId: u.id, wrappedUserKeyPw: u.wrapped_user_key_pw }, pw.passwordWrapKey);
        add('authKey', fromB64u(pw.authKey));
        add('passwordWrapKey', pw.passwordWrapKey);
      } catch {
        /* superseded password */
      }
      if (!userKey) continue;
      add('userKey', userKey);
      const keys = openBundleWithUserKey(
        {
          userId: u.id,
          orgId: u.org_id,
          orgShortName: a.orgShortName,
          userShortName: a.userShortName,
          kdfParams: u.kdf_params,
          kdfSalt: u.kdf_salt,
          wrappedUserKeyPw: u.wrapped_user_key_pw,
          x25519Public: u.x25519_public,
          encX25519Private: u.enc_x25519_private,
          encEd25519Private: u.enc_ed25519_private,
          sealedOrgKey: u.sealed_org_key,
          sealedOrgKeySig: u.sealed_org_key_sig,
          sealer: sealer ?? null,
          orgPin: u.org_pin,
          org: {
            publicKey: org.public_key,
            encPrivateKey: org.enc_private_key,
            fingerprint: org.public_key_fingerprint,
            signPublic: org.sign_public,
            encSignPrivate: org.enc_sign_private,
          },
        },
        userKey,
      );
      add('x25519 private key', keys.x25519Private);
      add('ed25519 private key', keys.ed25519Private);
      if (keys.orgKey) add('orgKey', keys.orgKey);
      if (keys.orgPrivateKey) add('organisation private key', keys.orgPrivateKey);
      if (keys.orgSignPrivate) add('organisation signing key', keys.orgSignPrivate);
    }
  } finally {
    await sql.end();
  }

  // What the server holds: the database dump, its data and blob folders, its log.
  const haystacks: { name: string; text: string; bytes: Buffer }[] = [];
  const dump = execFileSync('pg_dump', ['--no-owner', '--data-only', '--inserts', url], { maxBuffer: 1024 * 1024 * 1024 });
  fs.writeFileSync(path.join(ARTIFACTS, 'db-dump.sql'), dump);
  haystacks.push({ name: 'pg_dump', text: dump.toString('utf8'), bytes: dump });
  const walk = (dir: string) => {
    if (!fs.existsSync(dir)) return;
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) {
        const b = fs.readFileSync(p);
        haystacks.push({ name: path.relative(process.cwd(), p), text: b.toString('latin1'), bytes: b });
      }
    }
  };
  walk(process.env.KONSIL_DATA_DIR ?? path.join(ARTIFACTS, 'data'));
  // Further app instances (the two-instance and TURN specs) keep their own data folders and logs.
  const extra = fs.existsSync(ARTIFACTS) ? fs.readdirSync(ARTIFACTS) : [];
  for (const d of extra.filter((f) => /^data-/.test(f))) walk(path.join(ARTIFACTS, d));
  for (const log of extra.filter((f) => /^server.*\.log$/.test(f))) {
    const p = path.join(ARTIFACTS, log);
    if (fs.existsSync(p)) {
      const b = fs.readFileSync(p);
      haystacks.push({ name: log, text: b.toString('utf8'), bytes: b });
    }
  }

  const hits: string[] = [];
  // Study files are stored encrypted (lib/crypto/stream.ts, "KSF1"): none may look like DICOM, PDF or JPEG.
  let blobs = 0;
  for (const h of haystacks.filter((x) => x.name.includes(`${path.sep}blobs${path.sep}`) && !x.name.endsWith('.json'))) {
    blobs++;
    const b = h.bytes;
    if (b.length >= 132 && b.subarray(128, 132).toString('latin1') === 'DICM') hits.push(`a DICOM preamble in ${h.name}`);
    if (b.subarray(0, 5).toString('latin1') === '%PDF-') hits.push(`a PDF header in ${h.name}`);
    if (b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) hits.push(`a JPEG header in ${h.name}`);
    if (b.length >= 32 && b.subarray(0, 4).toString('latin1') !== 'KSF1') hits.push(`a blob not in the encrypted file format: ${h.name}`);
  }
  for (const n of needles) {
    for (const h of haystacks) {
      if (n.text.some((t) => t.length >= 8 && h.text.includes(t)) || (n.bytes && n.bytes.length >= 16 && h.bytes.includes(Buffer.from(n.bytes)))) {
        hits.push(`${n.label} found in ${h.name}`);
      }
    }
  }
  const scanned = haystacks.map((h) => `${h.name} (${h.bytes.length} bytes)`).join(', ');
  console.log(`canary scan: ${needles.length} canaries (${derived} derived keys from ${canaries.accounts.length} accounts) in ${scanned}; ${blobs} study blobs checked for clear file headers`);
  if (needles.length < 10 || derived === 0) {
    console.error('canary scan: too few canaries recorded; the end-to-end suite did not run as expected');
    process.exit(1);
  }
  if (hits.length) {
    console.error(`canary scan FAILED:\n  ${hits.join('\n  ')}`);
    console.log(`0 passed, ${hits.length} failed`);
    process.exit(1);
  }
  console.log('canary scan: no canary in clear');
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
