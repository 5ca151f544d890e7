import { AppointmentForm } from '@/components/appointments/appointment-form';

export default async function NewAppointmentPage({ searchParams }: { searchParams: Promise<{ date?: string }> }) {
  const { date } = await searchParams;
  return <AppointmentForm defaultDate={date && /^\d{4}-\d{2}-\d{2}$/.test(date) ? date : undefined} />;
}
