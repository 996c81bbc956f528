import { render, screen, within } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import type { TutorSource } from '@little-monster/core/contract';
import { describe, expect, it } from 'vitest';
import { AnswerMarkdown } from './AnswerMarkdown';
import { makeSource } from './test-support/tutor-test-engine';

function renderAnswer(text: string, sources: TutorSource[] = [], streaming = false) {
  const view = render(
    <MemoryRouter>
      <AnswerMarkdown text={text} sources={sources} streaming={streaming} />
    </MemoryRouter>,
  );
  return view.container.querySelector('.md') as HTMLElement;
}

describe('rendering an answer', () => {
  it('renders markdown: emphasis, lists, tables and styled code', () => {
    const answer = renderAnswer(
      '## Steps\n\n1. **Heat** the gas\n2. Measure *pressure*\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n```python\nprint("hi")\n```',
    );
    expect(within(answer).getByRole('heading', { name: 'Steps' }).tagName).toBe('H3');
    expect(answer.querySelector('strong')).toHaveTextContent('Heat');
    expect(within(answer).getAllByRole('listitem')).toHaveLength(2);
    expect(within(answer).getByRole('table')).toBeInTheDocument();
    expect(answer.querySelector('pre > code.language-python')).toHaveTextContent('print("hi")');
  });

  it('never renders raw HTML, scripts or images, and keeps only web and mail links', () => {
    const answer = renderAnswer(
      [
        'Before <script>alert("x")</script> after.',
        '',
        '<img src="http://tracker.example/pixel.png" alt="tracker">',
        '',
        'A <b>bold</b> word and an ![diagram of a cell](http://images.example/cell.png) inline.',
        '',
        '[run me](javascript:alert(1)) [a file](file:///etc/passwd) [docs](https://example.org/docs) [mail](mailto:prof@example.edu)',
      ].join('\n'),
    );
    expect(answer.querySelector('script')).toBeNull();
    expect(answer.querySelector('img')).toBeNull();
    expect(document.querySelector('img')).toBeNull();
    expect(answer.querySelector('b')).toBeNull();
    expect(answer.innerHTML).not.toContain('tracker.example');
    expect(answer.innerHTML).not.toContain('images.example');
    expect(answer).toHaveTextContent('Image: diagram of a cell');
    expect(within(answer).queryByRole('link', { name: 'run me' })).toBeNull();
    expect(within(answer).queryByRole('link', { name: 'a file' })).toBeNull();
    expect(answer).toHaveTextContent('run me');
    const docs = within(answer).getByRole('link', { name: 'docs' });
    expect(docs).toHaveAttribute('href', 'https://example.org/docs');
    expect(docs).toHaveAttribute('target', '_blank');
    expect(docs).toHaveAttribute('rel', 'noreferrer noopener');
    expect(within(answer).getByRole('link', { name: 'mail' })).toHaveAttribute(
      'href',
      'mailto:prof@example.edu',
    );
  });

  it('typesets math with KaTeX, inline and displayed', () => {
    const answer = renderAnswer('The area is $x^2$ here.\n\n$$\n\\frac{a}{b}\n$$');
    const inline = answer.querySelector('.katex');
    expect(inline).not.toBeNull();
    expect(inline!.querySelector('math msup')).not.toBeNull();
    expect(answer.querySelector('.katex-display math mfrac')).not.toBeNull();
    expect(answer.textContent).not.toContain('$x^2$');
  });

  it('draws citation chips in prose (all forms) but never inside code or math', () => {
    const sources = [makeSource({ n: 1, title: 'Notes' }), makeSource({ n: 2, title: 'Slides' })];
    const answer = renderAnswer(
      'Both say so [1, 2] and again [1][2]. Bad [7].\n\nUse `arr[1]` in code:\n\n```js\nconst x = arr[2];\n```\n\nAnd $a[1]$.',
      sources,
    );
    expect(within(answer).getAllByRole('link', { name: /^Source 1: Notes/ })).toHaveLength(2);
    expect(within(answer).getAllByRole('link', { name: /^Source 2: Slides/ })).toHaveLength(2);
    expect(answer.querySelector('code')).toHaveTextContent('arr[1]');
    expect(answer.querySelector('pre code')).toHaveTextContent('const x = arr[2];');
    expect(answer.querySelector('pre a, code a')).toBeNull();
    expect(answer).toHaveTextContent('Bad.');
    expect(answer.textContent).not.toContain('[7]');
  });

  it('hides a citation still being written while the answer streams', () => {
    renderAnswer('Membranes are bilayers [1', [makeSource({ n: 1 })], true);
    expect(screen.getByText('Membranes are bilayers')).toBeInTheDocument();
    expect(document.body.textContent).not.toContain('[1');
  });
});
