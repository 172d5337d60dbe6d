import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import type { Product } from '../../api/types.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { useOrganization, useTenantApi, useTenantKey } from '../../session/organization.tsx';
import { FormError } from '../card.tsx';
import { TextField } from '../field.tsx';
import { catalogApi, type ProductInput } from './catalog-api.ts';
import { CheckboxField } from '../field.tsx';
import { ConflictNotice, FormActions, hasCode, namesField } from './form-parts.tsx';
import { currencyDigits, parsePrice, priceInput } from './price.ts';

/** The separators of the current language's numbers: "." and "," in English, "," and "." in Spanish. */
export function useNumberSeparators(): { decimal: string; group: ',' | '.' } {
  const { number } = useI18n();
  const decimal = number(1.5, 1).replace(/\d/g, '');
  return { decimal, group: decimal === ',' ? '.' : ',' };
}

/**
 * Adding a product, or editing one (sending only what changed, with the version it was read at).
 * The price is typed as a decimal amount of the organization's currency and sent in minor units.
 * Keel's refusals show next to the fields they name. A conflict keeps what was typed: loading the
 * latest version refreshes only the fields the person left alone, and the next save sends that version.
 */
export function ProductForm({ product, onDone, onCancel }: { product?: Product; onDone: (saved: Product) => void; onCancel: () => void }) {
  const { t, errorMessage, money } = useI18n();
  const organization = useOrganization();
  const api = useTenantApi();
  const key = useTenantKey();
  const queryClient = useQueryClient();
  const separators = useNumberSeparators();
  const currency = product?.currency ?? organization.currency;
  const [sku, setSku] = useState(product?.sku ?? '');
  const [name, setName] = useState(product?.name ?? '');
  const [price, setPrice] = useState(product === undefined ? '' : priceInput(product.priceMinor, currency, separators.decimal));
  const [active, setActive] = useState(product?.active ?? true);
  const [base, setBase] = useState(product);
  const [priceProblem, setPriceProblem] = useState<string | undefined>();
  const [reloaded, setReloaded] = useState(false);

  const save = useMutation({
    mutationFn: (input: ProductInput) => {
      if (base === undefined) return catalogApi(api).createProduct(input);
      return catalogApi(api).updateProduct(base.id, changesFrom(base, input), base.version);
    },
    onSuccess: async (saved) => {
      await queryClient.invalidateQueries({ queryKey: key('products') });
      onDone(saved);
    },
  });
  const reload = useMutation({
    mutationFn: () => catalogApi(api).product(base!.id),
    onSuccess: (latest) => {
      // What the person changed stays; what they left alone now shows the latest version.
      const read = base!;
      if (sku === read.sku) setSku(latest.sku);
      if (name === read.name) setName(latest.name);
      if (price === priceInput(read.priceMinor, currency, separators.decimal)) setPrice(priceInput(latest.priceMinor, currency, separators.decimal));
      if (active === read.active) setActive(latest.active);
      setBase(latest);
      setReloaded(true);
      save.reset();
      void queryClient.invalidateQueries({ queryKey: key('products') });
    },
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    setReloaded(false);
    const parsed = parsePrice(price, currency, separators.group);
    if (parsed.kind !== 'ok') {
      setPriceProblem(
        parsed.kind === 'empty'
          ? t('catalog.product.priceMissing')
          : parsed.kind === 'tooManyDecimals'
            ? parsed.digits === 0
              ? t('catalog.product.priceWhole', { currency })
              : t('catalog.product.priceDecimals', { currency, digits: parsed.digits })
            : t('catalog.product.priceNotAmount'),
      );
      return;
    }
    setPriceProblem(undefined);
    const input = { sku: sku.trim(), name, priceMinor: parsed.minor, active };
    if (base !== undefined && Object.keys(changesFrom(base, input)).length === 0) {
      onDone(base);
      return;
    }
    save.mutate(input);
  }

  const error = save.error;
  const skuError = namesField(error, 'body.sku') ? t('catalog.product.skuInvalid') : hasCode(error, 'PRODUCT_SKU_TAKEN') ? errorMessage(error) : undefined;
  const nameError = namesField(error, 'body.name') ? t('catalog.product.nameInvalid') : undefined;
  const priceError = priceProblem ?? (namesField(error, 'body.priceMinor') ? t('catalog.product.priceRange', { max: money(100_000_000_000, currency) }) : undefined);
  const digits = currencyDigits(currency);
  const example = priceInput(1250 * 10 ** Math.max(0, digits - 2), currency, separators.decimal);

  return (
    <form onSubmit={submit} className="space-y-4" noValidate>
      <TextField
        label={t('catalog.product.sku')}
        hint={t('catalog.product.skuHint')}
        name="sku"
        required
        maxLength={64}
        autoComplete="off"
        spellCheck={false}
        autoFocus
        className="font-mono"
        value={sku}
        error={skuError}
        onChange={(event) => setSku(event.target.value)}
      />
      <TextField label={t('catalog.product.name')} name="name" required maxLength={200} autoComplete="off" value={name} error={nameError} onChange={(event) => setName(event.target.value)} />
      <TextField
        label={t('catalog.product.price', { currency })}
        hint={digits === 0 ? t('catalog.product.priceHintWhole', { currency, example }) : t('catalog.product.priceHint', { currency, example })}
        name="price"
        required
        inputMode={digits === 0 ? 'numeric' : 'decimal'}
        autoComplete="off"
        value={price}
        error={priceError}
        onChange={(event) => setPrice(event.target.value)}
      />
      <CheckboxField label={t('catalog.product.active')} hint={t('catalog.product.activeHint')} name="active" checked={active} onChange={(event) => setActive(event.target.checked)} />
      {hasCode(error, 'VERSION_CONFLICT') ? (
        <ConflictNotice onReload={() => reload.mutate()} reloading={reload.isPending} />
      ) : (
        <FormError message={error !== null && !hasCode(error, 'PRODUCT_SKU_TAKEN') ? errorMessage(error) : null} />
      )}
      {reload.isError && <FormError message={errorMessage(reload.error)} />}
      {reloaded && base !== undefined && (
        <p role="status" className="text-sm text-slate-700">
          {t('catalog.product.reloaded', { sku: base.sku, name: base.name, price: money(base.priceMinor, currency) })}
        </p>
      )}
      <FormActions onCancel={onCancel} busy={save.isPending} submitLabel={base === undefined ? t('catalog.product.create') : t('catalog.product.save')} />
    </form>
  );
}

/** The fields of `input` that differ from the product as read. */
function changesFrom(product: Product, input: ProductInput): Partial<ProductInput> {
  const changes: Partial<ProductInput> = {};
  if (input.sku !== product.sku) changes.sku = input.sku;
  if (input.name.trim() !== product.name) changes.name = input.name;
  if (input.priceMinor !== product.priceMinor) changes.priceMinor = input.priceMinor;
  if (input.active !== product.active) changes.active = input.active;
  return changes;
}
