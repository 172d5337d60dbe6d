import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { Review } from '../../api/types.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { useRoleAtLeast, useTenantApi, useTenantKey } from '../../session/organization.tsx';
import { Button } from '../button.tsx';
import { FormError } from '../card.tsx';
import { SelectField } from '../field.tsx';
import { DateTime } from '../formatted.tsx';
import { PageState } from '../page-state.tsx';
import { catalogApi } from './catalog-api.ts';
import { Dialog } from './dialog.tsx';
import { Stars } from './star-rating.tsx';

/** How many reviews one "load more" adds. */
export const REVIEWS_PAGE_SIZE = 20;

/** The store's reviews, newest first: a rating filter, "load more" by cursor, and deleting (admins, after confirming). */
export function ReviewList({ storeId }: { storeId: string }) {
  const { t } = useI18n();
  const api = useTenantApi();
  const key = useTenantKey();
  const isAdmin = useRoleAtLeast('admin');
  const [rating, setRating] = useState<number | undefined>();
  const [deleting, setDeleting] = useState<Review | null>(null);
  const reviews = useInfiniteQuery({
    queryKey: key('stores', storeId, 'reviews', { rating }),
    queryFn: ({ pageParam }) => api.reviews(storeId, { limit: REVIEWS_PAGE_SIZE, cursor: pageParam, rating }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const items = reviews.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <section aria-labelledby="reviews-heading">
      <div className="mb-3 flex flex-wrap items-end justify-between gap-3">
        <h2 id="reviews-heading" className="text-lg font-semibold text-slate-900">
          {t('catalog.reviews.title')}
        </h2>
        <div className="w-44">
          <SelectField label={t('catalog.reviews.filter')} value={rating ?? ''} onChange={(event) => setRating(event.target.value === '' ? undefined : Number(event.target.value))}>
            <option value="">{t('catalog.reviews.allRatings')}</option>
            {[5, 4, 3, 2, 1].map((value) => (
              <option key={value} value={value}>
                {value === 1 ? t('catalog.review.oneStar') : t('catalog.review.stars', { rating: value })}
              </option>
            ))}
          </SelectField>
        </div>
      </div>
      {reviews.isPending ? (
        <PageState kind="loading" />
      ) : reviews.isError && items.length === 0 ? (
        <PageState kind="error" error={reviews.error} onRetry={() => void reviews.refetch()} />
      ) : items.length === 0 ? (
        <PageState kind="empty" message={rating === undefined ? t('catalog.reviews.empty') : t('catalog.reviews.emptyForRating')} />
      ) : (
        <>
          <ul className="space-y-3" aria-label={t('catalog.reviews.title')}>
            {items.map((review) => (
              <li key={review.id} className="rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200">
                <article aria-label={t('catalog.review.by', { author: review.authorName })}>
                  <div className="flex flex-wrap items-center justify-between gap-2">
                    <p className="flex items-center gap-2 text-sm font-semibold text-slate-900">
                      <Stars rating={review.rating} />
                      <span className="sr-only">{t('catalog.review.ratedOutOfFive', { rating: review.rating })} </span>
                      <span>{review.authorName}</span>
                    </p>
                    <p className="text-xs text-slate-600">
                      <DateTime iso={review.createdAt} />
                    </p>
                  </div>
                  <p className="mt-2 text-sm whitespace-pre-line text-slate-800">{review.body}</p>
                  {isAdmin && (
                    <div className="mt-3">
                      <Button variant="secondary" className="px-2 py-1 text-xs" onClick={() => setDeleting(review)}>
                        {t('catalog.review.delete')}
                        <span className="sr-only"> {t('catalog.review.by', { author: review.authorName })}</span>
                      </Button>
                    </div>
                  )}
                </article>
              </li>
            ))}
          </ul>
          <div className="mt-4 flex items-center gap-3">
            {reviews.hasNextPage ? (
              <Button variant="secondary" onClick={() => void reviews.fetchNextPage()} busy={reviews.isFetchingNextPage} busyLabel={t('state.loading')}>
                {t('catalog.reviews.loadMore')}
              </Button>
            ) : (
              <p className="text-sm text-slate-600">{t('catalog.reviews.allShown')}</p>
            )}
          </div>
          {reviews.isError && <PageState kind="error" error={reviews.error} onRetry={() => void reviews.fetchNextPage()} />}
        </>
      )}
      <Dialog open={deleting !== null} onClose={() => setDeleting(null)} title={t('catalog.review.deleteTitle')}>
        {deleting !== null && <DeleteReview storeId={storeId} review={deleting} onDone={() => setDeleting(null)} />}
      </Dialog>
    </section>
  );
}

function DeleteReview({ storeId, review, onDone }: { storeId: string; review: Review; onDone: () => void }) {
  const { t, errorMessage } = useI18n();
  const api = useTenantApi();
  const key = useTenantKey();
  const queryClient = useQueryClient();
  const remove = useMutation({
    mutationFn: () => catalogApi(api).deleteReview(storeId, review.id),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: key('stores') });
      onDone();
    },
  });
  return (
    <div className="space-y-4">
      <p className="text-sm text-slate-800">{t('catalog.review.deleteQuestion', { author: review.authorName })}</p>
      <FormError message={remove.isError ? errorMessage(remove.error) : null} />
      <div className="flex justify-end gap-2">
        <Button variant="secondary" onClick={onDone} autoFocus>
          {t('catalog.action.cancel')}
        </Button>
        <Button variant="danger" onClick={() => remove.mutate()} busy={remove.isPending} busyLabel={t('catalog.review.deleting')}>
          {t('catalog.review.confirmDelete')}
        </Button>
      </div>
    </div>
  );
}
