import 'server-only';
import type { DbOrTx } from '@/lib/db/client';
import { contracts, planPeriods, sepaMandates } from '@/lib/db/schema';
import { randomToken } from '@/lib/server/hash';
import { now } from '@/lib/core/clock';
import { normalizeBic, normalizeIban } from '@/lib/validation';
import { berlinDate } from './notice';

/** A SEPA mandate reference: `KONSIL-<yyyymmdd>-<8 characters>`. */
export function mandateReference(): string {
  const d = now();
  const ymd = `${d.getUTCFullYear()}${String(d.getUTCMonth() + 1).padStart(2, '0')}${String(d.getUTCDate()).padStart(2, '0')}`;
  return `KONSIL-${ymd}-${randomToken(6).replace(/[-_]/g, 'X').toUpperCase()}`;
}

export type OpeningTerms = {
  orgId: string;
  plan: string;
  /** The account the wizard asked for; a mandate is signed with it for plan plus only. */
  bank: { accountHolder?: string; iban?: string; bic?: string };
  at: Date;
};

/**
 * The contract of a new organisation, inside the registration's transaction:
 * the contract row, the first plan period and, for plan plus, the SEPA mandate.
 */
export async function openContract(tx: DbOrTx, terms: OpeningTerms): Promise<void> {
  const { orgId, plan, bank, at } = terms;
  await tx.insert(contracts).values({ orgId, startedOn: berlinDate(at), updatedAt: at });
  await tx.insert(planPeriods).values({ orgId, plan, fromAt: at });
  if (plan === 'plus' && bank.accountHolder && bank.iban && bank.bic) {
    await tx.insert(sepaMandates).values({
      orgId,
      accountHolder: bank.accountHolder,
      iban: normalizeIban(bank.iban),
      bic: normalizeBic(bank.bic),
      mandateReference: mandateReference(),
      signedAt: at,
    });
  }
}
