import { AuthPage, authMetadata } from '@/components/auth/auth-page';
import { ConfirmEmail } from '@/components/auth/confirm-email';

export const generateMetadata = authMetadata('confirmEmail');

// The link from the welcome mail: /bestaetigen#<token> (the token stays out of URLs the server logs).
export default function ConfirmEmailPage() {
  return (
    <AuthPage ns="confirmEmail" wide>
      <ConfirmEmail />
    </AuthPage>
  );
}
