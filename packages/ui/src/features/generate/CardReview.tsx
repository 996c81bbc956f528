import { useState } from 'react';
import type { CardProposal, GeneratedItem } from '@little-monster/core/contract';
import { useAcceptCards, useDismissCards } from './queries';
import { SourceLine, StaleFlag } from './StaleFlag';

type Proposal = GeneratedItem & { content: CardProposal };
const isCard = (item: GeneratedItem): item is Proposal =>
  item.content.type === 'basic' || item.content.type === 'cloze';

/** One proposed card: chosen or not, and its fields, editable before it goes to the deck. */
function ProposedCard({
  item,
  chosen,
  content,
  onChoose,
  onEdit,
}: {
  item: Proposal;
  chosen: boolean;
  content: CardProposal;
  onChoose(chosen: boolean): void;
  onEdit(content: CardProposal): void;
}) {
  const proposed = item.status === 'proposed';
  return (
    <li className={`card generate-card is-${item.status}`}>
      {proposed ? (
        <label className="generate-choose">
          <input type="checkbox" checked={chosen} onChange={(e) => onChoose(e.target.checked)} /> Add this
          card
        </label>
      ) : (
        <span className="badge">{item.status === 'accepted' ? 'In your deck' : 'Dismissed'}</span>
      )}
      {content.type === 'basic' ? (
        <div className="generate-card-fields">
          <label>
            Front
            <textarea
              rows={2}
              value={content.front}
              readOnly={!proposed}
              onChange={(e) => onEdit({ ...content, front: e.target.value })}
            />
          </label>
          <label>
            Back
            <textarea
              rows={2}
              value={content.back}
              readOnly={!proposed}
              onChange={(e) => onEdit({ ...content, back: e.target.value })}
            />
          </label>
        </div>
      ) : (
        <div className="generate-card-fields">
          <label>
            Cloze text
            <textarea
              rows={2}
              value={content.text}
              readOnly={!proposed}
              onChange={(e) => onEdit({ ...content, text: e.target.value })}
            />
          </label>
        </div>
      )}
      <SourceLine item={item} />
      <StaleFlag item={item} />
    </li>
  );
}

/** Proposed cards: accept all, some, or edited ones into the class's deck; dismiss the rest. */
export function CardReview({ setId, items }: { setId: string; items: GeneratedItem[] }) {
  const cards = items.filter(isCard);
  const accept = useAcceptCards();
  const dismiss = useDismissCards();
  const proposed = cards.filter((card) => card.status === 'proposed');
  const [chosen, setChosen] = useState<Set<string>>(() => new Set(proposed.map((card) => card.id)));
  const [edits, setEdits] = useState<Map<string, CardProposal>>(new Map());
  const chosenCards = proposed.filter((card) => chosen.has(card.id));
  const send = (list: Proposal[]) =>
    accept.mutate({
      setId,
      cards: list.map((card) => {
        const edited = edits.get(card.id);
        return edited ? { id: card.id, content: edited } : { id: card.id };
      }),
    });

  return (
    <section aria-label="Proposed cards">
      <div className="generate-card-actions">
        <button
          type="button"
          className="button button-primary"
          disabled={accept.isPending || chosenCards.length === 0}
          onClick={() => send(chosenCards)}
        >
          Add {chosenCards.length} chosen to deck
        </button>
        <button
          type="button"
          className="button"
          disabled={accept.isPending || proposed.length === 0}
          onClick={() => send(proposed)}
        >
          Add all
        </button>
        <button
          type="button"
          className="button"
          disabled={dismiss.isPending || proposed.length === chosenCards.length}
          onClick={() =>
            dismiss.mutate(proposed.filter((card) => !chosen.has(card.id)).map((card) => card.id))
          }
        >
          Dismiss the others
        </button>
      </div>
      {accept.isError ? (
        <p className="text-error" role="alert">
          {accept.error.message}
        </p>
      ) : null}
      {accept.isSuccess ? <p role="status">{accept.data.accepted} cards added to your deck.</p> : null}
      <ul className="generate-items">
        {cards.map((card) => (
          <ProposedCard
            key={card.id}
            item={card}
            chosen={chosen.has(card.id)}
            content={edits.get(card.id) ?? card.content}
            onChoose={(value) =>
              setChosen((old) => {
                const next = new Set(old);
                if (value) next.add(card.id);
                else next.delete(card.id);
                return next;
              })
            }
            onEdit={(content) => setEdits((old) => new Map(old).set(card.id, content))}
          />
        ))}
      </ul>
    </section>
  );
}
