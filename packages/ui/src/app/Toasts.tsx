import { useEffect, useState } from 'react';
import { useUi, type Toast } from './ui-store';

/**
 * How long a toast stays. Errors stay longest (they say what to do), but they close too: a toast
 * left open covers the buttons under it. None closes while the pointer or focus is on it.
 */
export const TOAST_DISMISS_MS = { success: 5000, info: 6000, error: 20_000 } as const;

function ToastItem({ toast }: { toast: Toast }) {
  const dismiss = useUi((state) => state.dismissToast);
  const [hovered, setHovered] = useState(false);
  const [focused, setFocused] = useState(false);
  const held = hovered || focused;
  useEffect(() => {
    if (held) return;
    const timer = setTimeout(() => dismiss(toast.id), TOAST_DISMISS_MS[toast.tone]);
    return () => clearTimeout(timer);
  }, [toast, dismiss, held]);
  return (
    <li
      className={`toast toast-${toast.tone}`}
      onMouseEnter={() => setHovered(true)}
      onMouseLeave={() => setHovered(false)}
      onFocus={() => setFocused(true)}
      onBlur={() => setFocused(false)}
    >
      {/* The live region is inside the item: a list may only hold list items (axe, WCAG 1.3.1). */}
      <div className="toast-text" role={toast.tone === 'error' ? 'alert' : 'status'}>
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
