import { ContractClient } from '@/components/contracts/contract-client';

export default function BillingPage() {
  return <ContractClient />;
}
