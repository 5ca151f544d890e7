import { MailboxesClient } from '@/components/mailboxes/mailboxes-client';
import { RetentionCard } from '@/components/studies/retention-card';

export default function MailboxesPage() {
  return (
    <div className="space-y-8">
      <MailboxesClient />
      <RetentionCard />
    </div>
  );
}
