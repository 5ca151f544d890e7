import { NotesClient } from '@/components/notes/notes-client';

export default function NotesPage() {
  return <NotesClient />;
}
