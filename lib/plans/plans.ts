// The plans, as data. The contract page, the server's feature gates and
// invoicing all read this one definition.

export const FEATURES = [
  'appointments',
  'unlimitedVideo',
  'twoParticipants',
  'manualEmailInvitation',
  'smsInvitation',
  'emailInvitation',
  'reminders',
  'screenSharing',
  'conferences',
  'fullscreen',
  'additionalUsers',
  'additionalMailboxes',
  'writtenAvv',
] as const;
export type Feature = (typeof FEATURES)[number];

export type PlanId = 'basis' | 'plus';

export type Plan = {
  id: PlanId;
  /** Net price per active user and month, in euro cents. */
  monthlyPerUserCents: number;
  /** Net price per SMS sent, in euro cents. */
  smsCents: number;
  features: ReadonlySet<Feature>;
  /** Patient messages (invitations and reminders) an organisation may have sent, per channel. */
  sending: Record<'sms' | 'email', { perHour: number; perMonth: number }>;
  /** Studies the organisation may send per calendar month (null: no limit), and what each mailbox may hold. */
  studies: { perMonth: number | null; mailboxBytes: number };
};

/** 25 GB per mailbox, as in the DICOM mail networks practices know. */
const MAILBOX_BYTES = 25e9;

const BASIS: Feature[] = ['appointments', 'unlimitedVideo', 'twoParticipants', 'manualEmailInvitation', 'fullscreen', 'additionalUsers'];

export const PLANS: Record<PlanId, Plan> = {
  basis: {
    id: 'basis',
    monthlyPerUserCents: 0,
    smsCents: 0,
    features: new Set(BASIS),
    sending: { sms: { perHour: 0, perMonth: 0 }, email: { perHour: 0, perMonth: 0 } },
    studies: { perMonth: 9, mailboxBytes: MAILBOX_BYTES },
  },
  plus: {
    id: 'plus',
    monthlyPerUserCents: 1900,
    smsCents: 10,
    features: new Set(FEATURES),
    // Enough for a busy practice (three SMS per appointment: invitation and two reminders), not for a spammer.
    sending: { sms: { perHour: 60, perMonth: 1500 }, email: { perHour: 120, perMonth: 3000 } },
    studies: { perMonth: null, mailboxBytes: MAILBOX_BYTES },
  },
};

export const VAT_RATE = 0.19;

export function planOf(id: string): Plan {
  return id === 'plus' ? PLANS.plus : PLANS.basis;
}

export function hasFeature(planId: string, feature: Feature): boolean {
  return planOf(planId).features.has(feature);
}
