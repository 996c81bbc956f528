import { useEffect, useRef, useState } from 'react';
import { NavLink, Outlet, useLocation } from 'react-router';
import { PanelLeftClose, PanelLeftOpen } from 'lucide-react';
import { ConnectionBanner } from './ConnectionBanner';
import { ErrorBoundary } from './ErrorBoundary';
import { useFeatureRegistry } from './feature-registry';
import { useUi, useUiStoreApi } from './ui-store';
import { useGoShortcuts } from './use-go-shortcuts';

function Logo() {
  return (
    <svg className="logo" viewBox="0 0 32 32" aria-hidden="true" focusable="false">
      <path d="M6 27V12a10 10 0 0 1 20 0v15l-3.3-2.5L19.3 27 16 24.5 12.7 27l-3.4-2.5Z" fill="currentColor" />
      <circle cx="12" cy="13" r="2.2" fill="var(--surface)" />
      <circle cx="20" cy="13" r="2.2" fill="var(--surface)" />
    </svg>
  );
}

const FOLDED_KEY = 'littleMonster.sidebarFolded';

/** The student's choice if they made one; otherwise folded on a narrow window (800 px), so pages keep their room. */
function initiallyFolded(): boolean {
  try {
    const stored = localStorage.getItem(FOLDED_KEY);
    if (stored === 'true' || stored === 'false') return stored === 'true';
  } catch {
    // No storage: fall back to the window's width.
  }
  return typeof window.matchMedia === 'function' && window.matchMedia('(max-width: 899px)').matches;
}

function useSidebarFolded(): [boolean, () => void] {
  const [folded, setFolded] = useState(initiallyFolded);
  const toggle = () =>
    setFolded((was) => {
      try {
        localStorage.setItem(FOLDED_KEY, String(!was));
      } catch {
        // Only remembering the choice is lost.
      }
      return !was;
    });
  return [folded, toggle];
}

export function AppShell() {
  const [folded, toggleFolded] = useSidebarFolded();
  const modalOpen = useUi((state) => state.modalCount > 0);
  const location = useLocation();
  const main = useRef<HTMLElement>(null);
  const firstRender = useRef(true);
  const store = useUiStoreApi();
  const { features, nav } = useFeatureRegistry();
  useGoShortcuts();

  // After navigating, put focus on the new page's heading so keyboard and screen reader users start there.
  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    // A dialog opened along with the navigation (the palette's "New class") keeps the focus.
    if (store.getState().modalCount > 0) return;
    (main.current?.querySelector<HTMLElement>('h1') ?? main.current)?.focus();
  }, [location.pathname, store]);

  return (
    <>
      <div
        className={folded ? 'app-shell is-folded' : 'app-shell'}
        inert={modalOpen}
        aria-hidden={modalOpen || undefined}
      >
        <a
          className="skip-link"
          href="#main"
          onClick={(event) => {
            // The hash belongs to the router; move focus without navigating.
            event.preventDefault();
            main.current?.focus();
          }}
        >
          Skip to content
        </a>
        <aside className="sidebar">
          <div className="brand">
            <Logo />
            <span className="brand-name">Little Monster</span>
            <button
              type="button"
              className="icon-button sidebar-toggle"
              aria-expanded={!folded}
              aria-label={folded ? 'Expand the sidebar' : 'Fold the sidebar'}
              title={folded ? 'Expand the sidebar' : 'Fold the sidebar'}
              onClick={toggleFolded}
            >
              {folded ? (
                <PanelLeftOpen size={18} aria-hidden="true" />
              ) : (
                <PanelLeftClose size={18} aria-hidden="true" />
              )}
            </button>
          </div>
          <nav aria-label="Main">
            <ul className="nav-list">
              {nav.map((item) => (
                <li key={item.path}>
                  <NavLink
                    to={item.path}
                    end={item.path === '/'}
                    className="nav-link"
                    aria-keyshortcuts={`g ${item.key}`}
                    title={folded ? item.label : undefined}
                  >
                    <item.icon size={18} aria-hidden="true" className="nav-icon" />
                    <span className="nav-label">{item.label}</span>
                  </NavLink>
                </li>
              ))}
            </ul>
          </nav>
          <div className="sidebar-footer">
            {features.map(({ id, SidebarItem }) => (SidebarItem ? <SidebarItem key={id} /> : null))}
          </div>
        </aside>
        <div className="main-column">
          <ConnectionBanner />
          <main id="main" ref={main} tabIndex={-1} className="main">
            <ErrorBoundary scope="page" key={location.pathname}>
              <Outlet />
            </ErrorBoundary>
          </main>
        </div>
      </div>
      {/* Outside the shell, which is inert while a dialog is open (the command palette). */}
      {features.map(({ id, Overlay }) => (Overlay ? <Overlay key={id} /> : null))}
    </>
  );
}
