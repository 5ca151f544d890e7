import { AuthPage, authMetadata } from '@/components/auth/auth-page';
import { InviteForm } from '@/components/auth/invite-form';

export const generateMetadata = authMetadata('invite');

export default function InvitePage() {
  return (
    <AuthPage ns="invite" wide>
      <InviteForm />
    </AuthPage>
  );
}
