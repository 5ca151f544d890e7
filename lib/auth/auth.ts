import 'server-only';
import NextAuth from 'next-auth';
import Credentials from 'next-auth/providers/credentials';
import { getAuthSecret } from '@/lib/server/secret';
import { consumeLoginTicket, SESSION_HOURS } from '@/lib/auth/sessions';

declare module 'next-auth' {
  interface Session {
    sid?: string;
  }
}

// The JWT carries only the id of a server-side session row and no key
// material: the keys stay in the browser's memory.
export const { handlers, auth, signIn, signOut } = NextAuth(() => ({
  trustHost: true,
  secret: getAuthSecret(),
  session: { strategy: 'jwt', maxAge: SESSION_HOURS * 3600 },
  pages: { signIn: '/login' },
  logger: {
    // Auth.js logs credentials errors with their input; we log codes only.
    error: (e: Error) => console.error(`[auth] ${e.name}`),
    warn: () => {},
    debug: () => {},
  },
  providers: [
    Credentials({
      id: 'ticket',
      credentials: { ticket: {} },
      authorize: async (creds) => {
        const ticket = typeof creds?.ticket === 'string' ? creds.ticket : '';
        const sid = ticket ? await consumeLoginTicket(ticket) : null;
        return sid ? { id: sid } : null;
      },
    }),
  ],
  callbacks: {
    jwt: ({ token, user }) => {
      if (user?.id) token.sid = user.id;
      return token;
    },
    session: ({ session, token }) => ({ ...session, sid: typeof token.sid === 'string' ? token.sid : undefined }),
  },
}));
