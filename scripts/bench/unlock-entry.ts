// Runs in Chromium: the unlock path exactly as the app does it after login.
import { sealOrgPin } from '@/lib/protocol/trust';
import { createOrgKeys, createUserKeyMaterial, derivePasswordSecrets, grantOrgKey, openBundleWithUserKey, unwrapUserKeyWithPassword } from '@/lib/protocol/account';
import { KDF_DEFAULT, derivePasswordKey } from '@/lib/crypto/kdf';
import { scryptAsync } from '@noble/hashes/scrypt.js';

type Stats = { runs: number[]; median: number; min: number; max: number };
const stats = (runs: number[]): Stats => {
  const s = [...runs].sort((a, b) => a - b);
  return { runs, median: s[Math.floor(s.length / 2)], min: s[0], max: s[s.length - 1] };
};

export type BenchResult = Awaited<ReturnType<typeof bench>>;

async function bench(n: number) {
  const orgId = crypto.randomUUID();
  const userId = crypto.randomUUID();
  const account = { orgShortName: 'bench', userShortName: 'unlock' };
  const password = 'correct horse battery staple';
  const { material, keys: own } = await createUserKeyMaterial({ orgId, userId, account, password, masterPassword: 'another long master phrase' });
  const org = createOrgKeys(orgId);
  const member = { userId, x25519Public: material.x25519Public, ed25519Public: material.ed25519Public };
  const grant = grantOrgKey({ orgKey: org.orgKey, orgId, orgSignPrivate: org.orgSignPrivate, sealerEd25519Private: own.ed25519Private, member });
  const bundle = {
    userId,
    orgId,
    ...account,
    kdfParams: material.kdfParams,
    kdfSalt: material.kdfSalt,
    wrappedUserKeyPw: material.wrappedUserKeyPw,
    x25519Public: material.x25519Public,
    encX25519Private: material.encX25519Private,
    encEd25519Private: material.encEd25519Private,
    sealedOrgKey: grant.sealedOrgKey,
    sealedOrgKeySig: grant.sealedOrgKeySig,
    sealer: { orgId, ...member, memberCert: grant.memberCert },
    orgPin: sealOrgPin(own.userKey, { orgId, userId, orgPublicKey: org.payload.publicKey, orgSignPublic: org.payload.signPublic }),
    org: { ...org.payload, fingerprint: '' },
  };
  const unlock: number[] = [];
  const kdfOnly: number[] = [];
  const unwrapOnly: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    const secrets = await derivePasswordSecrets(password, bundle.kdfParams, bundle.kdfSalt, account);
    const t1 = performance.now();
    const keys = openBundleWithUserKey(bundle, unwrapUserKeyWithPassword(bundle, secrets.passwordWrapKey));
    const t2 = performance.now();
    if (!keys.orgKey) throw new Error('orgKey did not open');
    unlock.push(t2 - t0);
    kdfOnly.push(t1 - t0);
    unwrapOnly.push(t2 - t1);
  }
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const argon19: number[] = [];
  const scrypt17: number[] = [];
  for (let i = 0; i < Math.min(n, 3); i++) {
    let t = performance.now();
    await derivePasswordKey(password, salt, { v: 2, alg: 'argon2id', m: 19456, t: 2, p: 1 });
    argon19.push(performance.now() - t);
    t = performance.now();
    await scryptAsync(new TextEncoder().encode(password), salt, { N: 2 ** 17, r: 8, p: 1, dkLen: 32 });
    scrypt17.push(performance.now() - t);
  }
  return {
    params: KDF_DEFAULT,
    unlock: stats(unlock),
    kdf: stats(kdfOnly),
    unwrap: stats(unwrapOnly),
    argon2idOwaspMinimum: stats(argon19),
    scryptOwaspMinimum: stats(scrypt17),
    userAgent: navigator.userAgent,
    cores: navigator.hardwareConcurrency,
  };
}

(window as unknown as { runBench: typeof bench }).runBench = bench;
