import { snippetSegments } from './snippet';

/** A search snippet with its matched words in <mark>, built from React text nodes only. */
export function SnippetText({ snippet }: { snippet: string }) {
  return (
    <>
      {snippetSegments(snippet).map((segment, index) =>
        segment.marked ? <mark key={index}>{segment.text}</mark> : <span key={index}>{segment.text}</span>,
      )}
    </>
  );
}
