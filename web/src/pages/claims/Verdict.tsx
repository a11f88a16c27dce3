import type { ReactNode } from 'react';

/** A check's outcome in words and a mark, in colours dark enough to read (AntD's tag greens fail WCAG contrast). */
export function Verdict({ ok, children }: { ok: boolean; children: ReactNode }) {
  return (
    <strong style={{ color: ok ? '#237804' : '#a8071a', marginInlineEnd: 8, whiteSpace: 'nowrap' }}>
      {ok ? '✓' : '✗'} {children}
    </strong>
  );
}
