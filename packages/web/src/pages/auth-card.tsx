import type { ReactNode } from 'react';
import { Card } from '../components/card.tsx';
import { useDocumentTitle } from '../components/page-header.tsx';

/** The frame of the signed-out pages: a title, the form, links below it. */
export function AuthCard({ title, description, children, footer }: { title: string; description?: string; children: ReactNode; footer?: ReactNode }) {
  useDocumentTitle(title);
  return (
    <>
      <Card>
        <h1 className="text-xl font-semibold text-slate-900">{title}</h1>
        {description !== undefined && <p className="mt-1 text-sm text-slate-600">{description}</p>}
        <div className="mt-6">{children}</div>
      </Card>
      {footer !== undefined && <div className="mt-4 space-y-2 text-center text-sm text-slate-700">{footer}</div>}
    </>
  );
}
