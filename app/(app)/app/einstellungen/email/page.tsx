import { EmailSettingsClient } from '@/components/settings/email-settings-client';

export default function EmailSettingsPage() {
  return <EmailSettingsClient />;
}
