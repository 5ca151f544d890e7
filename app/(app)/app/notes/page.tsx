import { NotesClient } from '@/components/app/notes-client';

export default function NotesPage() {
  return <NotesClient />;
}
