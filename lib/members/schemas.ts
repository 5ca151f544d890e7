import { z } from 'zod';
import { ZInvitationToken } from '@/lib/accounts/schemas';

/** An invitation token, to learn which organisation it belongs to. */
export const ZInvitationInspect = z.object({ token: ZInvitationToken });
export type TInvitationInspect = z.infer<typeof ZInvitationInspect>;

/** Whether a member may have Konsil send invitations and reminders to patients. */
export const ZMessagingPermission = z.object({ allowed: z.boolean() });
export type TMessagingPermission = z.infer<typeof ZMessagingPermission>;
