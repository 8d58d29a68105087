const WHAT: Record<string, string> = {
  Briefs: 'Scheduled summaries of what moved, written by the agents worker.',
  Alerts: 'Watches on entities, queries and momentum, and the alerts they raised.',
  Usage: 'Requests, search compute and LLM spend per API key and per minute.',
  Models: 'Embedding models: registry, evaluation gate, re-embedding progress, drift.',
};

export function Coming({ label }: { label: string }) {
  return (
    <section className="empty" data-testid="coming">
      <h1>
        {label} <span className="tag">coming</span>
      </h1>
      <p>{WHAT[label]}</p>
      <p className="muted">This page is not built yet: the API it needs does not exist in this version of Sift.</p>
    </section>
  );
}
