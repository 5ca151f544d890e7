import { AccountClient } from '@/components/app/account-client';

export default function AccountPage() {
  return <AccountClient />;
}
