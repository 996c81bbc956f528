import { render } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { App } from '../app/App';
import type { TestEngine } from './test-engine';

/** Renders the whole app at `path` (a hash route) over a test engine. */
export function renderApp(engine: TestEngine, path = '/') {
  window.location.hash = `#${path}`;
  const user = userEvent.setup();
  const view = render(<App transport={engine.transport} />);
  return { user, ...view };
}
