import 'server-only';
import { inArray } from 'drizzle-orm';
import type { DbOrTx } from '@/lib/db/client';
import { users } from '@/lib/db/schema';

/**
 * A member as someone checking their signature needs them: the keys and the
 * organisation's certificate of them (lib/protocol/signing.ts, Sealer), and the
 * short name to show.
 */
export type TSigner = { userId: string; orgId: string; x25519Public: string; ed25519Public: string; memberCert: string | null; shortName: string };

export async function signersByIds(db: DbOrTx, ids: (string | null | undefined)[]): Promise<Map<string, TSigner>> {
  const unique = [...new Set(ids.filter((x): x is string => !!x))];
  if (!unique.length) return new Map();
  const rows = await db
    .select({ userId: users.id, orgId: users.orgId, x25519Public: users.x25519Public, ed25519Public: users.ed25519Public, memberCert: users.memberCert, shortName: users.shortName })
    .from(users)
    .where(inArray(users.id, unique));
  return new Map(rows.map((r) => [r.userId, r]));
}
