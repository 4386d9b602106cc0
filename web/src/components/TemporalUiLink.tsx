import type { ReactNode } from 'react';
import { openCodecSession } from '../api/codec';

/**
 * A link into the Temporal UI that first opens a codec session, so the payloads there show
 * decoded for this person. The session is a convenience: the link opens either way (without it
 * the UI shows the payloads still encrypted).
 */
export function TemporalUiLink({ href, className, children }: { href: string; className?: string; children: ReactNode }) {
  return (
    <a className={className} href={href} target="_blank" rel="noopener noreferrer" onClick={() => void openCodecSession().catch(() => undefined)}>
      {children}
    </a>
  );
}
