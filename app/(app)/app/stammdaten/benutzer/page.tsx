import { MembersClient } from '@/components/app/members-client';

export default function MembersPage() {
  return <MembersClient />;
}
