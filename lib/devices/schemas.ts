import { z } from 'zod';

/** The path of a device decision: `/api/devices/:id/(approve|reject|revoke)`. */
export const ZDeviceDecision = z.object({ id: z.string().uuid(), action: z.enum(['approve', 'reject', 'revoke']) });
export type TDeviceDecision = z.infer<typeof ZDeviceDecision>;
