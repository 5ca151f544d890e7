'use client';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { api, type Json } from '@/lib/client/api';
import { openRecord, type PatientRecord } from '@/lib/protocol/appointments';
import type { AppointmentRow as ServedAppointment } from '@/lib/appointments/service';
import type { MemberRow } from '@/lib/members/service';
import { useKeys } from '@/lib/client/key-store';
import { errorText, useErrorMessage } from '@/components/ui/use-field-errors';
import { useSession } from '@/components/app/session-context';

type AppointmentRow = Json<ServedAppointment>;

export type Appointment = AppointmentRow & { record: PatientRecord | null };

/** The organisation's appointments in [from, to), decrypted in this tab. */
export function useAppointments(from: Date, to: Date) {
  const keys = useKeys();
  const s = useSession();
  const eMsg = useErrorMessage();
  const [rows, setRows] = useState<AppointmentRow[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const fromIso = from.toISOString();
  const toIso = to.toISOString();
  const reload = useCallback(() => {
    api<{ appointments: AppointmentRow[] }>(`/api/appointments?from=${encodeURIComponent(fromIso)}&to=${encodeURIComponent(toIso)}`)
      .then((r) => {
        setRows(r.appointments);
        setError(null);
      })
      .catch((e) => setError(errorText(eMsg, e)));
  }, [fromIso, toIso, eMsg]);
  useEffect(reload, [reload]);
  const orgKey = keys?.orgKey ?? null;
  const orgId = s.orgId;
  const appointments = useMemo<Appointment[] | null>(() => {
    if (!rows || !orgKey) return null;
    return rows.map((r) => ({ ...r, record: openRecord(orgKey, orgId, r) }));
  }, [rows, orgKey, orgId]);
  return { appointments, error, reload };
}

export function useAppointment(id: string) {
  const keys = useKeys();
  const s = useSession();
  const eMsg = useErrorMessage();
  const [row, setRow] = useState<AppointmentRow | null>(null);
  const [error, setError] = useState<string | null>(null);
  const reload = useCallback(() => {
    api<{ appointment: AppointmentRow }>(`/api/appointments/${id}`)
      .then((r) => setRow(r.appointment))
      .catch((e) => setError(errorText(eMsg, e)));
  }, [id, eMsg]);
  useEffect(reload, [reload]);
  const orgKey = keys?.orgKey ?? null;
  const orgId = s.orgId;
  const appointment = useMemo<Appointment | null>(() => (row && orgKey ? { ...row, record: openRecord(orgKey, orgId, row) } : null), [row, orgKey, orgId]);
  return { appointment, error, reload };
}

export type Member = Json<MemberRow>;

export function useMembers() {
  const [members, setMembers] = useState<Member[]>([]);
  useEffect(() => {
    api<{ members: Member[] }>('/api/members')
      .then((r) => setMembers(r.members.filter((m) => m.status === 'active')))
      .catch(() => {});
  }, []);
  return members;
}

/** Appointments whose waiting room has a patient, live (SSE from the practice's channel). */
export function useWaitingRooms() {
  const [rooms, setRooms] = useState<{ appointmentId: string; participantId: string; since: string; state: 'waiting' | 'admitted' }[]>([]);
  const reload = useCallback(() => {
    api<{ rooms: typeof rooms }>('/api/calls/waiting')
      .then((r) => setRooms(r.rooms))
      .catch(() => {});
  }, []);
  useEffect(() => {
    reload();
    let closed = false;
    let handle: { close: () => void } | null = null;
    void import('@/lib/client/sse').then(({ openEventStream }) => {
      if (closed) return;
      handle = openEventStream('/api/calls/waiting/stream', { onEvent: () => reload(), onOpen: reload });
    });
    // Presence is kept by heartbeats; a patient whose browser vanished drops off on the next poll.
    const poll = setInterval(reload, 30_000);
    return () => {
      closed = true;
      handle?.close();
      clearInterval(poll);
    };
  }, [reload]);
  return rooms;
}
