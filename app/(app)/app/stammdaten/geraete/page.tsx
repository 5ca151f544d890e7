import { DevicesClient } from '@/components/app/devices-client';

export default function DevicesPage() {
  return <DevicesClient />;
}
