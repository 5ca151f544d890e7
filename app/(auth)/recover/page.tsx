import { AuthPage, authMetadata } from '@/components/auth/auth-page';
import { RecoverForm } from '@/components/auth/recover-form';

export const generateMetadata = authMetadata('recover');

export default function RecoverPage() {
  return (
    <AuthPage ns="recover" intro>
      <RecoverForm />
    </AuthPage>
  );
}
