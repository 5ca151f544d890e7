'use client';
import { useTranslations } from 'next-intl';
import { Alert } from '@/components/ui/alert';
import { AppointmentForm } from './appointment-form';
import { useAppointment } from './use-appointments';

export function EditAppointment({ id }: { id: string }) {
  const t = useTranslations('appointments');
  const { appointment, error } = useAppointment(id);
  if (error) return <Alert tone="error">{error}</Alert>;
  if (!appointment) return <p className="text-slate-600">{t('loading')}</p>;
  if (!appointment.record) return <Alert tone="error">{t('unreadable')}</Alert>;
  if (appointment.state === 'cancelled') return <Alert tone="warning">{t('state.cancelled')}</Alert>;
  return <AppointmentForm existing={appointment} />;
}
