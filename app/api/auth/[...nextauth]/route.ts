// GET/POST /api/auth/* — Auth.js endpoints (session, csrf, callback for the ticket provider)
import { handlers } from '@/lib/auth/auth';

export const { GET, POST } = handlers;
