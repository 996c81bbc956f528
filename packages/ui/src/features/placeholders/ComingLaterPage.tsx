import { PageHeader } from '../../app/components/PageHeader';

/** A section that later versions fill; says so plainly instead of showing controls that do nothing. */
export function ComingLaterPage({ title, what }: { title: string; what: string }) {
  return (
    <>
      <PageHeader title={title} />
      <div className="state state-empty">
        <p className="state-title">Coming in a later version: {what}</p>
      </div>
    </>
  );
}
