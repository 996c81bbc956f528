import { useEffect, useRef } from 'react';
import { NavLink, Outlet, useLocation } from 'react-router';
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

export function AppShell() {
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
      <div className="app-shell" inert={modalOpen} aria-hidden={modalOpen || undefined}>
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
            <span>Little Monster</span>
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
                  >
                    {item.label}
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
