import { useId, useState, type FormEvent } from 'react';
import type { GenerateFrom, GeneratedKind } from '@little-monster/core/contract';
import { useLectures } from '../lectures/queries';
import { useMaterials } from '../library/queries';
import { useStartGeneration } from './queries';

/** `material:<id>` or `lecture:<id>`: what a link from the library or a lecture preselects. */
export type SourceChoice = string;

/**
 * "Generate quiz / flashcards" from a material (whole or some pages) or a lecture: starts a
 * background job; its progress shows in the list of running generations.
 */
export function GenerateForm({ initialSource }: { initialSource?: SourceChoice | null }) {
  const ids = { kind: useId(), source: useId(), from: useId(), to: useId(), count: useId() };
  const materials = useMaterials({ limit: 500 });
  const lectures = useLectures(undefined);
  const start = useStartGeneration();
  const [kind, setKind] = useState<GeneratedKind>('quiz');
  const [source, setSource] = useState<SourceChoice>(initialSource ?? '');
  const [pageStart, setPageStart] = useState('');
  const [pageEnd, setPageEnd] = useState('');
  const [count, setCount] = useState('10');
  const [kindOf, id] = source.split(':') as ['material' | 'lecture' | '', string | undefined];

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!id || !kindOf) return;
    const page = (value: string) => (value.trim() === '' ? null : Number(value));
    const from: GenerateFrom =
      kindOf === 'material'
        ? { kind: 'material', id, pageStart: page(pageStart), pageEnd: page(pageEnd) }
        : { kind: 'lecture', id };
    start.mutate({ kind, from, count: Number(count) || 10 });
  };

  return (
    <form className="card generate-form" onSubmit={submit} aria-label="Generate">
      <h2 className="card-title">Generate from your material</h2>
      <div className="generate-fields">
        <label htmlFor={ids.kind}>Make</label>
        <select id={ids.kind} value={kind} onChange={(e) => setKind(e.target.value as GeneratedKind)}>
          <option value="quiz">A quiz</option>
          <option value="flashcards">Flashcards</option>
        </select>
        <label htmlFor={ids.source}>From</label>
        <select id={ids.source} value={source} onChange={(e) => setSource(e.target.value)} required>
          <option value="">Choose a material or lecture…</option>
          <optgroup label="Library">
            {(materials.data?.items ?? [])
              .filter((material) => material.status === 'ready')
              .map((material) => (
                <option key={material.id} value={`material:${material.id}`}>
                  {material.title}
                </option>
              ))}
          </optgroup>
          <optgroup label="Lectures">
            {(lectures.data ?? []).map((lecture) => (
              <option key={lecture.id} value={`lecture:${lecture.id}`}>
                {lecture.title}
              </option>
            ))}
          </optgroup>
        </select>
        {kindOf === 'material' ? (
          <>
            <label htmlFor={ids.from}>Pages</label>
            <span className="generate-pages">
              <input
                id={ids.from}
                type="number"
                min={1}
                placeholder="first"
                aria-label="First page"
                value={pageStart}
                onChange={(e) => setPageStart(e.target.value)}
              />
              <span aria-hidden>–</span>
              <input
                id={ids.to}
                type="number"
                min={1}
                placeholder="last"
                aria-label="Last page"
                value={pageEnd}
                onChange={(e) => setPageEnd(e.target.value)}
              />
            </span>
          </>
        ) : null}
        <label htmlFor={ids.count}>How many</label>
        <input
          id={ids.count}
          type="number"
          min={1}
          max={40}
          value={count}
          onChange={(e) => setCount(e.target.value)}
        />
      </div>
      {start.isError ? (
        <p className="text-error" role="alert">
          {start.error.message}
        </p>
      ) : null}
      {start.isSuccess ? <p role="status">Started; it is written in the background.</p> : null}
      <button type="submit" className="button button-primary" disabled={start.isPending || !id}>
        Generate
      </button>
    </form>
  );
}
