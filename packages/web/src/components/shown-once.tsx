import { useId, useRef, useState } from 'react';
import { Button } from './button.tsx';
import { TextField } from './field.tsx';

export interface ShownOnceWords {
  title: string;
  warning: string;
  label: string;
  copy: string;
  copied: string;
  copyFailed: string;
  done: string;
}

/**
 * A secret Keel shows once (an API key, a webhook secret: it keeps only a hash or a sealed copy): a
 * clear warning, the value to select or copy, and "Done", after which it is gone from the page.
 */
export function ShownOnce({ value, words, onDone }: { value: string; words: ShownOnceWords; onDone(): void }) {
  const titleId = useId();
  const field = useRef<HTMLDivElement>(null);
  const [copy, setCopy] = useState<'idle' | 'copied' | 'failed'>('idle');

  async function copyValue() {
    try {
      await navigator.clipboard.writeText(value);
      setCopy('copied');
    } catch {
      // No clipboard (permissions, an insecure origin): the value is selected for copying by hand.
      const element = field.current?.querySelector('input');
      element?.focus();
      element?.select();
      setCopy('failed');
    }
  }

  return (
    <section aria-labelledby={titleId} className="mb-8 rounded-lg border border-amber-300 bg-amber-50 p-6">
      <h2 id={titleId} className="text-lg font-semibold text-slate-900">
        {words.title}
      </h2>
      <p className="mt-2 text-sm font-medium text-amber-950">{words.warning}</p>
      <div className="mt-4 flex flex-wrap items-end gap-2">
        <div ref={field} className="min-w-0 flex-1">
          <TextField label={words.label} readOnly value={value} className="font-mono text-xs" onFocus={(event) => event.currentTarget.select()} />
        </div>
        <Button variant="secondary" onClick={() => void copyValue()}>
          {words.copy}
        </Button>
      </div>
      <p role="status" className="mt-2 min-h-5 text-sm text-slate-800">
        {copy === 'copied' ? words.copied : copy === 'failed' ? words.copyFailed : ''}
      </p>
      <Button className="mt-2" onClick={onDone}>
        {words.done}
      </Button>
    </section>
  );
}
