import { Component, type ErrorInfo, type ReactNode } from 'react';

interface ErrorBoundaryProps {
  children: ReactNode;
  /** 'page' keeps the app shell usable; 'app' replaces everything. */
  scope: 'page' | 'app';
}

interface ErrorBoundaryState {
  error: Error | null;
}

/** A bug in one screen shows a way out (Reload) instead of a blank window. */
export class ErrorBoundary extends Component<ErrorBoundaryProps, ErrorBoundaryState> {
  override state: ErrorBoundaryState = { error: null };

  static getDerivedStateFromError(error: unknown): ErrorBoundaryState {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  override componentDidCatch(error: unknown, info: ErrorInfo) {
    console.error('The UI failed to render', error, info.componentStack);
  }

  override render() {
    const { error } = this.state;
    if (!error) return this.props.children;
    return (
      <div className={this.props.scope === 'app' ? 'full-page-message' : 'page-error'} role="alert">
        <h1>Something went wrong on this screen</h1>
        <p>Your saved work is safe: it lives in the engine, not in this window.</p>
        <p className="muted">{error.message}</p>
        <div className="row">
          <button type="button" className="button button-primary" onClick={() => window.location.reload()}>
            Reload
          </button>
          {this.props.scope === 'page' ? (
            <button type="button" className="button" onClick={() => this.setState({ error: null })}>
              Try again
            </button>
          ) : null}
        </div>
      </div>
    );
  }
}
