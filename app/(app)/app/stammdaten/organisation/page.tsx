import { OrganisationClient } from '@/components/directory/organisation-client';

export default function OrganisationPage() {
  return <OrganisationClient />;
}
