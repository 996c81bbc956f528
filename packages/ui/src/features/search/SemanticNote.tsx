import { Link } from 'react-router';
import { settingsPath } from '../settings/settings-link';
/** Said calmly, once, above keyword-only results: what is missing and where to get it. */
export function SemanticNote() {
  return (
    <p className="search-note" role="note">
      Searching by keyword. Install an embedding model in{' '}
      <Link to={settingsPath('models')}>Settings › Models</Link> to also search by meaning.
    </p>
  );
}
