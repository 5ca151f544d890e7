import { Suspense } from 'react';
import { AppointmentCalendar } from '@/components/appointments/calendar';

export default function AppointmentsPage() {
  return (
    <Suspense>
      <AppointmentCalendar />
    </Suspense>
  );
}
