// GET /api/contract/invoices/:id/pdf — one of the organisation's invoices as PDF.
import { route } from '@/lib/auth/route';
import { idParam } from '@/lib/auth/params';
import { getInvoice } from '@/lib/contracts/service';
import { renderInvoicePdf } from '@/lib/contracts/invoice-pdf';

export const GET = route({ access: 'member' }, async ({ db, session, params }) => {
  const inv = await getInvoice(db, session, idParam(params));
  const pdf = await renderInvoicePdf(inv);
  return new Response(Buffer.from(pdf), {
    headers: {
      'Content-Type': 'application/pdf',
      'Content-Disposition': `attachment; filename="Konsil-Rechnung-${inv.number}.pdf"`,
      'Cache-Control': 'no-store',
    },
  });
});
