import 'server-only';
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { DbOrTx } from '@/lib/db/client';
import { devices, users } from '@/lib/db/schema';
import { AppError } from '@/lib/core/errors';
import { now } from '@/lib/core/clock';
import { deleteSessionsOfDevice, isAdmin, type SessionContext } from '@/lib/auth/sessions';

export async function listDevices(db: DbOrTx, session: SessionContext) {
  return db
    .select({
      id: devices.id,
      name: devices.name,
      status: devices.status,
      userId: devices.userId,
      userShortName: users.shortName,
      createdAt: devices.createdAt,
      decidedAt: devices.decidedAt,
      lastLoginAt: devices.lastLoginAt,
    })
    .from(devices)
    .innerJoin(users, eq(users.id, devices.userId))
    .where(and(eq(devices.orgId, session.orgId), isAdmin(session) ? undefined : eq(devices.userId, session.userId)))
    .orderBy(asc(devices.createdAt));
}

export type DeviceRow = Awaited<ReturnType<typeof listDevices>>[number];

const TRANSITIONS = {
  approve: { from: ['pending'], to: 'approved' },
  reject: { from: ['pending'], to: 'rejected' },
  revoke: { from: ['approved', 'pending'], to: 'revoked' },
} as const;

export async function decideDevice(db: DbOrTx, session: SessionContext, deviceId: string, action: keyof typeof TRANSITIONS) {
  const [device] = await db.select().from(devices).where(and(eq(devices.id, deviceId), eq(devices.orgId, session.orgId)));
  if (!device) throw new AppError('not_found');
  // Members may only give up their own devices; deciding for others needs an admin.
  const ownRevoke = action === 'revoke' && device.userId === session.userId;
  if (!isAdmin(session) && !ownRevoke) throw new AppError('forbidden');
  const t = TRANSITIONS[action];
  if (action === 'revoke' && device.status === 'approved' && (await isLastAdminDevice(db, session.orgId, device.id))) {
    throw new AppError('last_admin_device');
  }
  const rows = await db
    .update(devices)
    .set({ status: t.to, decidedAt: now(), decidedBy: session.userId })
    .where(and(eq(devices.id, deviceId), eq(devices.orgId, session.orgId), inArray(devices.status, [...t.from])))
    .returning({ id: devices.id });
  if (!rows.length) throw new AppError('conflict');
  if (t.to === 'revoked') await deleteSessionsOfDevice(db, deviceId);
  return { status: t.to, endedOwnSession: deviceId === session.deviceId };
}

export type DeviceDecision = Awaited<ReturnType<typeof decideDevice>>;

// New devices and members can only be let in from an approved device of the
// main user or an admin; revoking the last such device would lock the
// organisation out for good, since nobody can restore access for it.
async function isLastAdminDevice(db: DbOrTx, orgId: string, deviceId: string): Promise<boolean> {
  const rows = await db
    .select({ id: devices.id })
    .from(devices)
    .innerJoin(users, eq(users.id, devices.userId))
    .where(
      and(
        eq(devices.orgId, orgId),
        eq(devices.status, 'approved'),
        eq(users.status, 'active'),
        inArray(users.role, ['owner', 'admin']),
      ),
    );
  return rows.length > 0 && rows.every((r) => r.id === deviceId);
}
