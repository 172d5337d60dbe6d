import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState, type ChangeEvent } from 'react';
import { ApiError } from '../../api/api-error.ts';
import type { Product } from '../../api/types.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { useTenantApi, useTenantKey } from '../../session/organization.tsx';
import { Button, FOCUS_RING } from '../button.tsx';
import { FormError } from '../card.tsx';
import { catalogApi } from './catalog-api.ts';
import { PRODUCT_IMAGE_TYPES, productImageApi } from './product-image-api.ts';

/** How often the edit dialog asks again while the thumbnail is being made. */
const PROCESSING_POLL_MS = 1_000;

/**
 * A product's thumbnail (a ready image), or an empty frame. Its URL names the image, so one fetch
 * serves every render until the image changes; the few kilobytes are shown as a data URL.
 */
export function ProductThumbnail({ product, size = 'small', decorative = false }: { product: Pick<Product, 'name' | 'image'>; size?: 'small' | 'large'; decorative?: boolean }) {
  const { t } = useI18n();
  const api = useTenantApi();
  const key = useTenantKey();
  const url = product.image?.state === 'ready' ? product.image.thumbnailUrl : null;
  const bytes = useQuery({
    queryKey: key('product-thumbnail', url),
    queryFn: () => productImageApi(api).thumbnail(url!),
    enabled: url !== null,
    staleTime: Number.POSITIVE_INFINITY,
  });
  const src = url === null ? undefined : bytes.data;
  const box = size === 'small' ? 'h-10 w-10' : 'h-32 w-32';
  if (src === undefined) return <span className={`inline-block ${box} rounded border border-dashed border-slate-300 bg-slate-50`} aria-hidden="true" />;
  return <img src={src} alt={decorative ? '' : t('catalog.image.alt', { name: product.name })} className={`${box} rounded border border-slate-200 bg-white object-contain`} />;
}

/**
 * The image part of the product's edit dialog (admins): the current thumbnail and its state, a file
 * field that uploads at once (with progress), and removal. While the thumbnail is made, the
 * product is read again every second.
 */
export function ProductImageField({ productId }: { productId: string }) {
  const { t, errorMessage } = useI18n();
  const api = useTenantApi();
  const key = useTenantKey();
  const queryClient = useQueryClient();
  const inputId = useId();
  const [progress, setProgress] = useState<number>();
  const [problem, setProblem] = useState<string | null>(null);
  const product = useQuery({
    queryKey: key('products', 'one', productId),
    queryFn: () => catalogApi(api).product(productId),
    refetchInterval: (query) => (query.state.data?.image?.state === 'processing' ? PROCESSING_POLL_MS : false),
  });
  const image = product.data?.image ?? null;
  const processing = image?.state === 'processing';
  const wasProcessing = useRef(false);
  // Once the thumbnail is made (or not), the list shows it too.
  useEffect(() => {
    if (processing) wasProcessing.current = true;
    else if (wasProcessing.current) {
      wasProcessing.current = false;
      void queryClient.invalidateQueries({ queryKey: key('products') });
    }
  }, [processing, queryClient, key]);

  const refresh = async () => {
    await queryClient.invalidateQueries({ queryKey: key('products') });
  };
  const upload = useMutation({
    mutationFn: (file: File) => productImageApi(api).upload(productId, file, setProgress),
    onSettled: () => setProgress(undefined),
    onSuccess: refresh,
  });
  const remove = useMutation({ mutationFn: () => productImageApi(api).remove(productId), onSuccess: refresh });

  function choose(event: ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0];
    event.target.value = '';
    setProblem(null);
    if (file === undefined) return;
    if (!(PRODUCT_IMAGE_TYPES as readonly string[]).includes(file.type)) {
      setProblem(t('catalog.image.wrongType'));
      return;
    }
    upload.mutate(file);
  }

  const failure = upload.error ?? remove.error;
  return (
    <section aria-labelledby={`${inputId}-title`} className="mt-6 border-t border-slate-200 pt-4">
      <h3 id={`${inputId}-title`} className="mb-3 text-sm font-semibold text-slate-900">
        {t('catalog.image.title')}
      </h3>
      <div className="flex items-start gap-4">
        {product.data && <ProductThumbnail product={product.data} size="large" />}
        <div className="min-w-0 flex-1 space-y-2">
          <p role="status" className={`text-sm ${image?.state === 'failed' ? 'text-red-800' : 'text-slate-700'}`}>
            {image === null ? t('catalog.image.none') : stateText(image.state, image.failureCode)}
          </p>
          <label htmlFor={inputId} className={`inline-flex cursor-pointer items-center rounded-md bg-white px-3 py-2 text-sm font-semibold text-slate-900 shadow-sm ring-1 ring-slate-300 ring-inset hover:bg-slate-50 ${FOCUS_RING} focus-within:outline-2`}>
            {image === null ? t('catalog.image.choose') : t('catalog.image.replace')}
            <input id={inputId} type="file" accept={PRODUCT_IMAGE_TYPES.join(',')} className="sr-only" onChange={choose} disabled={upload.isPending} />
          </label>
          <p className="text-sm text-slate-600">{t('catalog.image.hint')}</p>
          {progress !== undefined && (
            <progress className="block w-full" max={100} value={progress} aria-label={t('catalog.image.uploading')}>
              {progress}%
            </progress>
          )}
          {image !== null && (
            <Button variant="secondary" className="px-2 py-1 text-xs" busy={remove.isPending} busyLabel={t('catalog.image.removing')} onClick={() => remove.mutate()}>
              {t('catalog.image.remove')}
            </Button>
          )}
          <FormError message={problem ?? (failure ? errorMessage(failure) : null)} />
        </div>
      </div>
    </section>
  );

  function stateText(state: NonNullable<Product['image']>['state'], failureCode: string | null): string {
    if (state === 'ready') return t('catalog.image.ready');
    if (state === 'processing') return t('catalog.image.processing');
    if (state === 'awaiting_upload') return t('catalog.image.awaitingUpload');
    return t('catalog.image.failed', { reason: errorMessage(new ApiError({ status: 422, code: failureCode ?? 'PRODUCT_IMAGE_INVALID' })) });
  }
}
