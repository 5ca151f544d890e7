import { DevicesClient } from '@/components/devices/devices-client';

export default function DevicesPage() {
  return <DevicesClient />;
}
