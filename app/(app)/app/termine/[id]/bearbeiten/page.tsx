import { EditAppointment } from '@/components/appointments/edit-appointment';

export default async function EditAppointmentPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <EditAppointment id={id} />;
}
