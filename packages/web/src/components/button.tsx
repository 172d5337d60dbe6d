import { Link, type LinkProps } from '@tanstack/react-router';
import type { ButtonHTMLAttributes, ReactNode } from 'react';

type Variant = 'primary' | 'secondary' | 'danger';

/** Colours chosen for WCAG AA contrast; focus is always visible (keyboard users). */
const VARIANTS: Record<Variant, string> = {
  primary: 'bg-indigo-600 text-white hover:bg-indigo-700 disabled:bg-indigo-400',
  secondary: 'bg-white text-slate-900 ring-1 ring-inset ring-slate-300 hover:bg-slate-50 disabled:text-slate-500',
  danger: 'bg-red-700 text-white hover:bg-red-800 disabled:bg-red-400',
};

export const FOCUS_RING = 'focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600';

export function buttonClasses(variant: Variant = 'primary'): string {
  return `inline-flex items-center justify-center gap-2 rounded-md px-3 py-2 text-sm font-semibold shadow-sm disabled:cursor-not-allowed ${FOCUS_RING} ${VARIANTS[variant]}`;
}

interface ButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  variant?: Variant;
  /** Shows `busyLabel` and disables the button while an action runs. */
  busy?: boolean;
  busyLabel?: string;
  children: ReactNode;
}

export function Button({ variant = 'primary', busy = false, busyLabel, children, className = '', type = 'button', disabled, ...rest }: ButtonProps) {
  return (
    <button type={type} className={`${buttonClasses(variant)} ${className}`} disabled={disabled === true || busy} aria-busy={busy || undefined} {...rest}>
      {busy && busyLabel !== undefined ? busyLabel : children}
    </button>
  );
}

/** A router link that looks like a button. */
export function ButtonLink({ variant = 'primary', className = '', ...props }: LinkProps & { variant?: Variant; className?: string; children: ReactNode }) {
  return <Link {...props} className={`${buttonClasses(variant)} ${className}`} />;
}

export const LINK_CLASSES = `font-medium text-indigo-700 underline-offset-2 hover:underline ${FOCUS_RING} rounded-sm`;
