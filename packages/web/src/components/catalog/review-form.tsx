import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { useI18n } from '../../i18n/i18n.tsx';
import { useTenantApi, useTenantKey } from '../../session/organization.tsx';
import { Button } from '../button.tsx';
import { FormError } from '../card.tsx';
import { TextField } from '../field.tsx';
import { catalogApi } from './catalog-api.ts';
import { TextAreaField } from '../field.tsx';
import { namesField, StatusMessage } from './form-parts.tsx';
import { Stars } from './star-rating.tsx';

const RATINGS = [5, 4, 3, 2, 1] as const;

/** Recording a review of the store (any member): a rating from 1 to 5, the text, who wrote it. */
export function ReviewForm({ storeId }: { storeId: string }) {
  const { t, errorMessage } = useI18n();
  const api = useTenantApi();
  const key = useTenantKey();
  const queryClient = useQueryClient();
  const ratingId = useId();
  const [rating, setRating] = useState<number | undefined>();
  const [body, setBody] = useState('');
  const [authorName, setAuthorName] = useState('');
  const [recorded, setRecorded] = useState(false);

  const record = useMutation({
    mutationFn: () => catalogApi(api).createReview(storeId, { rating, body, authorName }),
    onSuccess: async () => {
      setRating(undefined);
      setBody('');
      setAuthorName('');
      setRecorded(true);
      // The store's figures change with it (STO-012): the list, the store and its reviews.
      await queryClient.invalidateQueries({ queryKey: key('stores') });
    },
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    setRecorded(false);
    record.mutate();
  }

  const error = record.error;
  const ratingError = namesField(error, 'body.rating') ? t('catalog.review.ratingInvalid') : undefined;
  return (
    <form onSubmit={submit} className="space-y-4" noValidate aria-labelledby={`${ratingId}-title`}>
      <h2 id={`${ratingId}-title`} className="text-lg font-semibold text-slate-900">
        {t('catalog.review.title')}
      </h2>
      <fieldset aria-describedby={ratingError !== undefined ? `${ratingId}-error` : undefined}>
        <legend className="text-sm font-medium text-slate-900">{t('catalog.review.rating')}</legend>
        <div className="mt-1 flex flex-wrap gap-2">
          {RATINGS.map((value) => (
            <label
              key={value}
              className={`relative inline-flex cursor-pointer items-center gap-1.5 rounded-md px-2.5 py-1.5 text-sm ring-1 ring-inset has-checked:bg-indigo-50 has-checked:ring-2 has-checked:ring-indigo-600 has-focus-visible:outline-2 has-focus-visible:outline-offset-2 has-focus-visible:outline-indigo-600 ${ratingError !== undefined ? 'ring-red-700' : 'ring-slate-400'}`}
            >
              <input type="radio" name="rating" value={value} checked={rating === value} onChange={() => setRating(value)} className="absolute inset-0 z-10 cursor-pointer opacity-0" />
              <Stars rating={value} className="h-3.5" />
              <span className="text-slate-900">{value === 1 ? t('catalog.review.oneStar') : t('catalog.review.stars', { rating: value })}</span>
            </label>
          ))}
        </div>
        {ratingError !== undefined && (
          <p id={`${ratingId}-error`} role="alert" className="mt-1 text-sm text-red-700">
            {ratingError}
          </p>
        )}
      </fieldset>
      <TextAreaField
        label={t('catalog.review.body')}
        name="body"
        rows={4}
        required
        maxLength={2000}
        value={body}
        error={namesField(error, 'body.body') ? t('catalog.review.bodyInvalid') : undefined}
        onChange={(event) => setBody(event.target.value)}
      />
      <TextField
        label={t('catalog.review.author')}
        name="authorName"
        required
        maxLength={100}
        autoComplete="name"
        value={authorName}
        error={namesField(error, 'body.authorName') ? t('catalog.review.authorInvalid') : undefined}
        onChange={(event) => setAuthorName(event.target.value)}
      />
      <FormError message={error !== null ? errorMessage(error) : null} />
      <StatusMessage>{recorded ? t('catalog.review.recorded') : ''}</StatusMessage>
      <Button type="submit" busy={record.isPending} busyLabel={t('catalog.action.saving')}>
        {t('catalog.review.submit')}
      </Button>
    </form>
  );
}
