import { AccountClient } from '@/components/account/account-client';

export default function AccountPage() {
  return <AccountClient />;
}
