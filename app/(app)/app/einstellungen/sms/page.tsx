import { SmsSettingsClient } from '@/components/settings/sms-settings-client';

export default function SmsSettingsPage() {
  return <SmsSettingsClient />;
}
