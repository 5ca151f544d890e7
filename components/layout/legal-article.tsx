type Section = { title: string; paragraphs: string[] };

/** A legal text as sections of paragraphs (terms, privacy notice, AVV). */
export function LegalArticle({ title, lead, sections }: { title: string; lead?: string; sections: Section[] }) {
  return (
    <article className="max-w-3xl">
      <h1 className="text-2xl font-semibold">{title}</h1>
      {lead && <p className="mt-1 text-sm text-slate-600">{lead}</p>}
      {sections.map((s) => (
        <section key={s.title} className="mt-6">
          <h2 className="text-lg font-semibold">{s.title}</h2>
          {s.paragraphs.map((p) => (
            <p key={p.slice(0, 40)} className="mt-2 text-sm leading-relaxed text-slate-800">
              {p}
            </p>
          ))}
        </section>
      ))}
    </article>
  );
}
