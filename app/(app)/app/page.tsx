import { Dashboard } from '@/components/app/dashboard';

export default function AppHome() {
  return <Dashboard />;
}
