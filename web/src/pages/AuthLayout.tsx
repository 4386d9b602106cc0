import type { ReactNode } from 'react';
import { useTitle } from '../use-title';

/** The frame of the pages seen before entering an organization. */
export function AuthLayout({ title, children }: { title: string; children: ReactNode }) {
  useTitle(title);
  return (
    <main className="page page-narrow">
      <header>
        <p className="brand">Flowline</p>
        <h1>{title}</h1>
      </header>
      {children}
    </main>
  );
}
