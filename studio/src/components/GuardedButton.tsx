import type { ButtonHTMLAttributes, ReactNode } from 'react';

/**
 * A button that is disabled, with a tooltip saying why, when the user lacks the permission
 * for its action. A disabled button gets no mouse events in some browsers, so the tooltip
 * sits on a wrapper too.
 */
export function GuardedButton({ allowed, reason, children, disabled, title, ...props }: ButtonHTMLAttributes<HTMLButtonElement> & { allowed: boolean; reason: string; children: ReactNode }) {
  const tip = allowed ? title : reason;
  return (
    <span className="guard" title={tip}>
      <button type="button" {...props} title={tip} disabled={!allowed || disabled} aria-disabled={!allowed || disabled} data-guarded={allowed ? undefined : 'read-only'}>
        {children}
      </button>
    </span>
  );
}
