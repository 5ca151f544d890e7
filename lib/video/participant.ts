import 'server-only';
import { eq } from 'drizzle-orm';
import type { DbOrTx } from '@/lib/db/client';
import { appointments, callParticipants, devices, users } from '@/lib/db/schema';
import { AppError } from '@/lib/core/errors';
import { sha256Hex } from '@/lib/server/hash';
import { now } from '@/lib/core/clock';
import { joinWindow } from './window';

export type Role = 'host' | 'patient';

export type Participant = {
  id: string;
  appointmentId: string;
  orgId: string;
  role: Role;
  userId: string | null;
  state: 'waiting' | 'admitted' | 'left';
  createdAt: Date;
};

/**
 * The participant a call token belongs to, while the token is good: not after
 * its participant left or was replaced, the appointment was cancelled, or the
 * waiting room closed; for a host who entered as a member, only while the
 * member is active and the device they entered from is approved.
 */
export async function participantByToken(db: DbOrTx, token: string | null): Promise<Participant> {
  if (!token || token.length > 200) throw new AppError('call_token_invalid');
  const [p] = await db
    .select({
      id: callParticipants.id,
      appointmentId: callParticipants.appointmentId,
      orgId: callParticipants.orgId,
      role: callParticipants.role,
      userId: callParticipants.userId,
      deviceId: callParticipants.deviceId,
      state: callParticipants.state,
      createdAt: callParticipants.createdAt,
      appointment: { state: appointments.state, startsAt: appointments.startsAt, durationMin: appointments.durationMin },
      userStatus: users.status,
      deviceStatus: devices.status,
    })
    .from(callParticipants)
    .innerJoin(appointments, eq(appointments.id, callParticipants.appointmentId))
    .leftJoin(users, eq(users.id, callParticipants.userId))
    .leftJoin(devices, eq(devices.id, callParticipants.deviceId))
    .where(eq(callParticipants.tokenHash, sha256Hex(token)));
  if (!p || p.state === 'left') throw new AppError('call_token_invalid');
  if (joinWindow(p.appointment, now()).status !== 'open' && !(p.appointment.state === 'scheduled' && p.role === 'host' && now() < p.appointment.startsAt)) {
    throw new AppError('call_token_invalid');
  }
  if (p.deviceId && (p.userStatus !== 'active' || p.deviceStatus !== 'approved')) throw new AppError('call_token_invalid');
  const { appointment: _a, userStatus: _u, deviceStatus: _d, deviceId: _dev, ...participant } = p;
  return participant;
}

/** The call token travels in the X-Call-Token header, never in the URL, where logs would keep it. */
export function tokenOf(req: Request): string | null {
  return req.headers.get('x-call-token');
}
