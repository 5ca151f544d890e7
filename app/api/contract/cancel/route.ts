// POST /api/contract/cancel — "Vertrag kündigen und Daten löschen" (main user only; the confirmation is required).
import { route } from '@/lib/auth/route';
import { ZContractCancel } from '@/lib/contracts/schemas';
import { cancelContract } from '@/lib/contracts/service';

export const POST = route({ access: 'member', input: ZContractCancel }, async ({ db, session }) => cancelContract(db, session));
