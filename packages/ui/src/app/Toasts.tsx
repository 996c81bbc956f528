import { useEffect } from 'react';
import { useUi, type Toast } from './ui-store';

const AUTO_DISMISS_MS = { success: 5000, info: 6000 } as const;

function ToastItem({ toast }: { toast: Toast }) {
  const dismiss = useUi((state) => state.dismissToast);
  useEffect(() => {
    // Errors stay until the student has read and dismissed them.
    if (toast.tone === 'error') return;
    const timer = setTimeout(() => dismiss(toast.id), AUTO_DISMISS_MS[toast.tone]);
    return () => clearTimeout(timer);
  }, [toast, dismiss]);
  return (
    <li className={`toast toast-${toast.tone}`} role={toast.tone === 'error' ? 'alert' : 'status'}>
      <div className="toast-text">
        <p className="toast-title">{toast.title}</p>
        {toast.message ? <p className="toast-message">{toast.message}</p> : null}
        {toast.action ? <p className="toast-action">{toast.action}</p> : null}
      </div>
      <button type="button" className="button button-quiet toast-close" onClick={() => dismiss(toast.id)}>
        Dismiss
      </button>
    </li>
  );
}

export function Toasts() {
  const toasts = useUi((state) => state.toasts);
  return (
    <section className="toasts" aria-label="Notifications">
      <ul>
        {toasts.map((toast) => (
          <ToastItem key={toast.id} toast={toast} />
        ))}
      </ul>
    </section>
  );
}
