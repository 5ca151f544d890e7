'use client';
import { Alert } from '@/components/ui/alert';
import { useErrorMessage } from '@/components/ui/use-field-errors';
import { useMailboxes } from './use-mailboxes';

/** On an admin's overview: makes the main mailbox and renews mailbox keys after someone left, without a visit to Postfächer. */
export function MailboxUpkeep() {
  const eMsg = useErrorMessage();
  const { error } = useMailboxes();
  return error ? <Alert tone="error">{eMsg(error)}</Alert> : null;
}
