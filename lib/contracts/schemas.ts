import { z } from 'zod';

/** "Vertrag kündigen und Daten löschen": the main user confirms the cancellation and the deletion after it. */
export const ZContractCancel = z.object({ confirmDeletion: z.literal(true, { message: 'mustAccept' }) });
export type TContractCancel = z.infer<typeof ZContractCancel>;

/**
 * basis → plus: with the mandate on file, or with a new one; the new mandate's
 * fields pass through and are checked as the wizard's billing step.
 */
export const ZContractUpgrade = z.object({ useExistingMandate: z.boolean().optional() }).passthrough();
export type TContractUpgrade = z.infer<typeof ZContractUpgrade>;
