// POST /api/contract/upgrade — basis → plus at once (main user only), with a SEPA mandate unless one exists.
import { route } from '@/lib/auth/route';
import { AppError } from '@/lib/core/errors';
import { issuesToFieldErrors, ZBillingStep } from '@/lib/validation/registration';
import { upgradeToPlus } from '@/lib/contracts/service';
import { ZContractUpgrade } from '@/lib/contracts/schemas';

export const POST = route({ access: 'member', input: ZContractUpgrade }, async ({ db, session, input }) => {
  if (input.useExistingMandate) {
    await upgradeToPlus(db, session, {});
    return { ok: true };
  }
  // A new mandate: Kontoinhaber, IBAN (checksum), BIC and the mandate checkbox, as in the wizard.
  const parsed = ZBillingStep.safeParse(input);
  if (!parsed.success) throw new AppError('validation', { fields: issuesToFieldErrors(parsed.error) });
  await upgradeToPlus(db, session, parsed.data);
  return { ok: true };
});
