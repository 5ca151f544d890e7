import { AuthPage, authMetadata } from '@/components/auth/auth-page';
import { LoginForm } from '@/components/auth/login-form';

export const generateMetadata = authMetadata('login');

export default function LoginPage() {
  return (
    <AuthPage ns="login" intro>
      <LoginForm />
    </AuthPage>
  );
}
