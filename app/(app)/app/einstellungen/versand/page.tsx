import { DeliveryLogClient } from '@/components/settings/delivery-log-client';

export default function DeliveryLogPage() {
  return <DeliveryLogClient />;
}
