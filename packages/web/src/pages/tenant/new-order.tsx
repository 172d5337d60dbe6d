import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate } from '@tanstack/react-router';
import { useId, useRef, useState, type FormEvent } from 'react';
import { ApiError } from '../../api/api-error.ts';
import type { Product } from '../../api/types.ts';
import { Button, FOCUS_RING, LINK_CLASSES } from '../../components/button.tsx';
import { Card, CELL, FormError, Table } from '../../components/card.tsx';
import { SelectField, TextField } from '../../components/field.tsx';
import { Money } from '../../components/formatted.tsx';
import { orderAmounts, parseMinor } from '../../components/orders/amounts.ts';
import { createOrder, newIdempotencyKey, useOrderKeys, type NewOrderBody } from '../../components/orders/order-api.ts';
import { ProductPicker } from '../../components/orders/product-picker.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { PageState } from '../../components/page-state.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import type { MessageKey } from '../../i18n/messages.en.ts';
import { useOrganization, useTenantApi, useTenantKey } from '../../session/organization.tsx';

/** specs/orders.md ORD-007. */
const MAX_QUANTITY = 10_000;
const MAX_LINES = 100;

interface Line {
  /** This form's own id for the line (a product may be on several lines). */
  id: number;
  product: Product;
  /** As typed; a whole number from 1 to 10,000 to be valid. */
  quantity: string;
}

type Field = 'storeId' | 'name' | 'email' | 'lines' | 'discount' | 'tax';
type FieldErrors = Partial<Record<Field, string>> & { line?: Record<number, string> };

function quantityOf(line: Line): number | undefined {
  const value = Number(line.quantity);
  return /^\d+$/.test(line.quantity.trim()) && value >= 1 && value <= MAX_QUANTITY ? value : undefined;
}

/**
 * A new order: store, customer, products and quantities, discount and tax. The total is computed
 * live as the server computes it (integers in minor units), and each submission carries its own
 * `Idempotency-Key`: a double click or a retry of the same submission creates one order. A refusal
 * is said in words and the form keeps everything typed.
 */
export function NewOrderPage() {
  const { t } = useI18n();
  const api = useTenantApi();
  const key = useTenantKey();
  const onSale = useQuery({ queryKey: key('products', 'any-on-sale'), queryFn: () => api.products({ active: true, limit: 1 }) });
  const stores = useQuery({ queryKey: key('stores', 'for-orders'), queryFn: () => api.stores({ limit: 200 }) });
  const { slug } = useOrganization();
  return (
    <>
      <PageHeader title={t('newOrder.title')} />
      {onSale.isPending || stores.isPending ? (
        <PageState kind="loading" />
      ) : onSale.isError || stores.isError ? (
        <PageState
          kind="error"
          error={onSale.error ?? stores.error}
          onRetry={() => {
            void onSale.refetch();
            void stores.refetch();
          }}
        />
      ) : stores.data.items.length === 0 ? (
        <PageState
          kind="empty"
          message={t('newOrder.noStores')}
          action={
            <Link to="/t/$slug/stores" params={{ slug }} className={LINK_CLASSES}>
              {t('nav.stores')}
            </Link>
          }
        />
      ) : onSale.data.items.length === 0 ? (
        <PageState
          kind="empty"
          message={t('newOrder.noProducts')}
          action={
            <Link to="/t/$slug/products" params={{ slug }} className={LINK_CLASSES}>
              {t('nav.products')}
            </Link>
          }
        />
      ) : (
        <NewOrderForm stores={stores.data.items} />
      )}
    </>
  );
}

function NewOrderForm({ stores }: { stores: { id: string; name: string }[] }) {
  const { t, errorMessage } = useI18n();
  const { slug, currency } = useOrganization();
  const api = useTenantApi();
  const keys = useOrderKeys();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const linesHeadingId = useId();
  const [storeId, setStoreId] = useState(stores.length === 1 ? stores[0]!.id : '');
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [lines, setLines] = useState<Line[]>([]);
  const [nextLineId, setNextLineId] = useState(1);
  const [discount, setDiscount] = useState('');
  const [tax, setTax] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  // The key of the submission being made: reused while the body is the same (a retry), new for another body.
  const submission = useRef<{ body: string; key: string } | null>(null);

  const create = useMutation({
    mutationFn: (body: NewOrderBody) => {
      const text = JSON.stringify(body);
      if (submission.current?.body !== text) submission.current = { body: text, key: newIdempotencyKey() };
      return createOrder(api, body, submission.current.key);
    },
    onSuccess: async (order) => {
      submission.current = null;
      queryClient.setQueryData(keys.detail(order.id), order);
      void queryClient.invalidateQueries({ queryKey: keys.board() });
      void queryClient.invalidateQueries({ queryKey: keys.list() });
      await navigate({ to: '/t/$slug/orders/$orderId', params: { slug, orderId: order.id } });
    },
    onError: (error) => setErrors(fieldErrorsOf(error, t)),
  });

  const discountMinor = parseMinor(discount, currency);
  const taxMinor = parseMinor(tax, currency);
  const priced = lines.map((line) => ({ unitPriceMinor: line.product.priceMinor, quantity: quantityOf(line) ?? 0 }));
  const amounts = orderAmounts(priced, discountMinor ?? 0, taxMinor ?? 0);

  function pick(product: Product) {
    setErrors(({ lines: _lines, ...rest }) => rest);
    const existing = lines.find((line) => line.product.id === product.id);
    if (existing !== undefined) {
      setLines(lines.map((line) => (line === existing ? { ...line, quantity: String(Math.min(MAX_QUANTITY, (quantityOf(line) ?? 0) + 1)) } : line)));
    } else if (lines.length < MAX_LINES) {
      setLines([...lines, { id: nextLineId, product, quantity: '1' }]);
      setNextLineId(nextLineId + 1);
    }
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    if (create.isPending) return;
    const found: FieldErrors = {};
    if (storeId === '') found.storeId = t('newOrder.chooseStore');
    if (name.trim() === '') found.name = t('newOrder.nameRequired');
    if (!/^[^\s@]+@[^\s@]+$/.test(email.trim())) found.email = t('newOrder.emailInvalid');
    if (lines.length === 0) found.lines = t('newOrder.noLines');
    const badLines = Object.fromEntries(lines.flatMap((line, index) => (quantityOf(line) === undefined ? [[index, t('newOrder.quantityInvalid', { max: MAX_QUANTITY })]] : [])));
    if (Object.keys(badLines).length > 0) found.line = badLines;
    if (discountMinor === undefined) found.discount = t('newOrder.amountInvalid');
    if (taxMinor === undefined) found.tax = t('newOrder.amountInvalid');
    setErrors(found);
    if (Object.keys(found).length > 0 || discountMinor === undefined || taxMinor === undefined) {
      create.reset();
      return;
    }
    create.mutate({
      storeId,
      customer: { name: name.trim(), email: email.trim() },
      lines: lines.map((line) => ({ productId: line.product.id, quantity: quantityOf(line)! })),
      discountMinor,
      taxMinor,
    });
  }

  const formError = create.error !== null ? errorMessage(create.error) : hasFieldError(errors) ? t('newOrder.fixFields') : null;

  return (
    <form noValidate onSubmit={submit} className="grid gap-6 lg:grid-cols-3">
      <div className="space-y-6 lg:col-span-2">
        <Card>
          <h2 className="text-base font-semibold text-slate-900">{t('newOrder.customerSection')}</h2>
          <div className="mt-4 grid gap-4 sm:grid-cols-2">
            <div className="sm:col-span-2">
              <SelectField label={t('orders.store')} value={storeId} error={errors.storeId} onChange={(event) => setStoreId(event.target.value)}>
                <option value="">{t('newOrder.chooseStoreOption')}</option>
                {stores.map((store) => (
                  <option key={store.id} value={store.id}>
                    {store.name}
                  </option>
                ))}
              </SelectField>
            </div>
            <TextField label={t('newOrder.customerName')} value={name} maxLength={200} autoComplete="off" error={errors.name} onChange={(event) => setName(event.target.value)} />
            <TextField label={t('newOrder.customerEmail')} type="email" value={email} maxLength={254} autoComplete="off" error={errors.email} onChange={(event) => setEmail(event.target.value)} />
          </div>
        </Card>
        <Card>
          <h2 id={linesHeadingId} className="text-base font-semibold text-slate-900">
            {t('order.lines')}
          </h2>
          <div className="mt-4 space-y-4">
            {lines.length === 0 ? (
              <p className={`rounded-md border border-dashed px-3 py-4 text-sm ${errors.lines !== undefined ? 'border-red-700 text-red-800' : 'border-slate-300 text-slate-700'}`} role={errors.lines !== undefined ? 'alert' : undefined}>
                {errors.lines ?? t('newOrder.noLinesYet')}
              </p>
            ) : (
              <Table caption={t('order.lines')} head={[t('products.name'), t('order.unitPrice'), t('order.quantity'), t('order.lineTotal'), <span key="actions" className="sr-only">{t('newOrder.lineActions')}</span>]}>
                {lines.map((line, index) => (
                  <LineRow
                    key={line.id}
                    line={line}
                    currency={currency}
                    error={errors.line?.[index]}
                    onQuantity={(quantity) => setLines(lines.map((candidate) => (candidate === line ? { ...candidate, quantity } : candidate)))}
                    onRemove={() => setLines(lines.filter((candidate) => candidate !== line))}
                  />
                ))}
              </Table>
            )}
            <ProductPicker onPick={pick} />
          </div>
        </Card>
      </div>
      <div className="space-y-6">
        <Card className="lg:sticky lg:top-4">
          <h2 className="text-base font-semibold text-slate-900">{t('newOrder.summary')}</h2>
          <div className="mt-4 grid gap-4 sm:grid-cols-2 lg:grid-cols-1">
            <TextField
              label={t('order.discount')}
              hint={t('newOrder.amountHint', { currency })}
              inputMode="decimal"
              value={discount}
              error={errors.discount}
              onChange={(event) => setDiscount(event.target.value)}
            />
            <TextField label={t('order.tax')} hint={t('newOrder.amountHint', { currency })} inputMode="decimal" value={tax} error={errors.tax} onChange={(event) => setTax(event.target.value)} />
          </div>
          <dl className="mt-6 space-y-2 text-sm" aria-label={t('newOrder.summary')}>
            <Amount label={t('order.subtotal')} minor={amounts.subtotalMinor} currency={currency} />
            <Amount label={t('order.discount')} minor={amounts.discountMinor === 0 ? 0 : -amounts.discountMinor} currency={currency} />
            <Amount label={t('order.tax')} minor={amounts.taxMinor} currency={currency} />
            <div className="flex justify-between border-t border-slate-200 pt-2 text-base">
              <dt className="font-semibold text-slate-900">{t('order.total')}</dt>
              <dd className="font-semibold text-slate-900" data-testid="live-total">
                <Money minor={amounts.totalMinor} currency={currency} />
              </dd>
            </div>
          </dl>
          {amounts.discountMinor > amounts.subtotalMinor && <p className="mt-2 text-sm text-amber-900">{t('newOrder.discountOverSubtotal')}</p>}
          <div className="mt-6 space-y-3">
            <FormError message={formError} />
            <Button type="submit" className="w-full" busy={create.isPending} busyLabel={t('newOrder.creating')}>
              {t('newOrder.submit')}
            </Button>
          </div>
        </Card>
      </div>
    </form>
  );
}

function LineRow({ line, currency, error, onQuantity, onRemove }: { line: Line; currency: string; error: string | undefined; onQuantity(quantity: string): void; onRemove(): void }) {
  const { t } = useI18n();
  const inputId = useId();
  const quantity = quantityOf(line);
  return (
    <tr>
      <td className={CELL}>
        <span className="block text-slate-900">{line.product.name}</span>
        <span className="block font-mono text-xs text-slate-600">{line.product.sku}</span>
      </td>
      <td className={`${CELL} whitespace-nowrap`}>
        <Money minor={line.product.priceMinor} currency={currency} />
      </td>
      <td className={CELL}>
        <label htmlFor={inputId} className="sr-only">
          {t('newOrder.quantityOf', { name: line.product.name })}
        </label>
        <input
          id={inputId}
          type="number"
          min={1}
          max={MAX_QUANTITY}
          step={1}
          inputMode="numeric"
          value={line.quantity}
          aria-invalid={error !== undefined}
          aria-describedby={error !== undefined ? `${inputId}-error` : undefined}
          onChange={(event) => onQuantity(event.target.value)}
          className={`w-24 rounded-md border border-slate-400 bg-white px-2 py-1 text-sm text-slate-900 aria-[invalid=true]:border-red-700 ${FOCUS_RING}`}
        />
        {error !== undefined && (
          <p id={`${inputId}-error`} role="alert" className="mt-1 text-xs text-red-700">
            {error}
          </p>
        )}
      </td>
      <td className={`${CELL} whitespace-nowrap`}>{quantity === undefined ? '—' : <Money minor={line.product.priceMinor * quantity} currency={currency} />}</td>
      <td className={CELL}>
        <Button variant="secondary" className="px-2! py-1! text-xs!" aria-label={t('newOrder.removeLine', { name: line.product.name })} onClick={onRemove}>
          {t('newOrder.remove')}
        </Button>
      </td>
    </tr>
  );
}

function Amount({ label, minor, currency }: { label: string; minor: number; currency: string }) {
  return (
    <div className="flex justify-between">
      <dt className="text-slate-700">{label}</dt>
      <dd className="text-slate-900">
        <Money minor={minor} currency={currency} />
      </dd>
    </div>
  );
}

function hasFieldError(errors: FieldErrors): boolean {
  return Object.keys(errors).length > 0;
}

/** The fields a refusal names (its `details`, or the field its code is about), each with a short sentence. */
function fieldErrorsOf(error: unknown, t: (key: MessageKey) => string): FieldErrors {
  if (!(error instanceof ApiError)) return {};
  if (error.code === 'ORDER_DISCOUNT_EXCEEDS_SUBTOTAL') return { discount: t('newOrder.discountTooLarge') };
  const sentence = t(FIELD_SENTENCES[error.code] ?? 'field.invalid');
  const found: FieldErrors = {};
  for (const detail of error.details) {
    const line = /^body\.lines\.(\d+)\./.exec(detail.path);
    if (line !== null) found.line = { ...found.line, [Number(line[1])]: sentence };
    else if (detail.path === 'body.storeId') found.storeId = sentence;
    else if (detail.path === 'body.customer.name') found.name = sentence;
    else if (detail.path === 'body.customer.email') found.email = sentence;
    else if (detail.path === 'body.discountMinor') found.discount = sentence;
    else if (detail.path === 'body.taxMinor') found.tax = sentence;
    else if (detail.path.startsWith('body.lines')) found.lines = sentence;
  }
  return found;
}

const FIELD_SENTENCES: Record<string, MessageKey> = {
  ORDER_PRODUCT_INACTIVE: 'newOrder.productUnavailable',
  ORDER_PRODUCT_NOT_FOUND: 'newOrder.productUnavailable',
  STORE_NOT_FOUND: 'newOrder.storeGone',
};
