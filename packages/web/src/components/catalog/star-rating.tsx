import { useI18n } from '../../i18n/i18n.tsx';

const STAR = 'M10 1.5l2.6 5.3 5.9.9-4.3 4.1 1 5.8L10 14.9l-5.2 2.7 1-5.8L1.5 7.7l5.9-.9z';

/** Five stars filled in proportion to `rating` (0–5); decoration only, the number says it in words. */
export function Stars({ rating, className = 'h-4' }: { rating: number; className?: string }) {
  const filled = `${Math.max(0, Math.min(5, rating)) * 20}%`;
  return (
    <span aria-hidden="true" className={`relative inline-flex shrink-0 align-[-2px] ${className}`}>
      <StarRow className="text-slate-300" />
      <span className="absolute inset-y-0 left-0 overflow-hidden" style={{ width: filled }}>
        <StarRow className="text-amber-500" />
      </span>
    </span>
  );
}

function StarRow({ className }: { className: string }) {
  return (
    <svg viewBox="0 0 100 20" className={`h-full w-auto max-w-none ${className}`} style={{ aspectRatio: '5 / 1' }} focusable="false">
      {[0, 20, 40, 60, 80].map((x) => (
        <path key={x} d={STAR} transform={`translate(${x} 0)`} fill="currentColor" />
      ))}
    </svg>
  );
}

/** An average rating as stars and its number ("4.25"), read out as "4.25 out of 5"; no reviews: words. */
export function AverageRating({ rating }: { rating: number | null }) {
  const { t, number } = useI18n();
  if (rating === null) return <span className="font-normal text-slate-600">{t('catalog.rating.none')}</span>;
  return (
    <span className="inline-flex items-center gap-1.5">
      <Stars rating={rating} />
      <span>{number(rating, 2)}</span>
      <span className="sr-only"> {t('catalog.rating.outOfFive')}</span>
    </span>
  );
}
