import { useEffect, useState } from 'react';
import { Link, useLocation } from 'react-router';
import { formatClock } from './lecture-text';
import { useRecorder, useRecordingState } from './LecturesProvider';

/** In the sidebar while a recording goes on elsewhere in the app: how long, and the way back to it. */
export function RecordingIndicator() {
  const { session } = useRecorder();
  const state = useRecordingState(session);
  const { pathname } = useLocation();
  const [, tick] = useState(0);
  const active = session !== null && state !== null && session.isActive() && state.lecture !== null;
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => tick((n) => n + 1), 1000);
    return () => clearInterval(timer);
  }, [active]);
  if (!active || pathname === '/lectures/record') return null;
  return (
    <Link className="recording-indicator" to="/lectures/record">
      <span className="recording-dot" aria-hidden="true" />
      {state.phase === 'paused' ? 'Paused' : 'Recording'} {formatClock(session.elapsedMs())}
    </Link>
  );
}
