import { MembersClient } from '@/components/members/members-client';

export default function MembersPage() {
  return <MembersClient />;
}
