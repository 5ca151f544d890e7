import { SendClient } from '@/components/studies/send/send-client';
import { ResumeClient } from '@/components/studies/send/resume-client';

export default async function SendStudyPage({ searchParams }: { searchParams: Promise<{ resume?: string | string[] }> }) {
  const { resume } = await searchParams;
  const id = typeof resume === 'string' && /^[0-9a-f-]{36}$/.test(resume) ? resume : null;
  return id ? <ResumeClient id={id} /> : <SendClient />;
}
