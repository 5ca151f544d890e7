import { MailboxesClient } from '@/components/mailboxes/mailboxes-client';

export default function MailboxesPage() {
  return <MailboxesClient />;
}
