import { z } from 'zod';
import { pageSchema, paginationQuery, plainText } from '@keel/kernel';
import { ORDER_STATUSES, type OrderStatus } from './schema.ts';

/** Bounds of specs/orders.md (ORD-007, ORD-010, ORD-021). */
export const ORDER_LIMITS = {
  maxLines: 100,
  maxQuantity: 10_000,
  /** Discount, tax and subtotal; sums of such amounts stay exact in JS numbers. */
  maxAmountMinor: 100_000_000_000,
  maxNotes: 2_000,
  maxCustomerName: 200,
  maxEmail: 254,
  maxIdempotencyKey: 255,
  maxSearch: 200,
} as const;

const version = z.number().int().min(1).max(2_147_483_647);
const amountMinor = z.number().int().min(0).max(ORDER_LIMITS.maxAmountMinor);
const status = z.enum(ORDER_STATUSES);

/** Free text typed by staff: trimmed, bounded; line breaks and tabs allowed, other control characters not. */
const notes = z
  .string()
  .trim()
  .max(ORDER_LIMITS.maxNotes)
  .refine((value) => !/[^\P{Cc}\t\n\r]/u.test(value), { message: 'contains a control character', params: { rule: 'control_character' } });

export const orderParams = z.strictObject({ orderId: z.uuid() });

export const createOrderBody = z.strictObject({
  storeId: z.uuid(),
  customer: z.strictObject({
    name: plainText({ min: 1, max: ORDER_LIMITS.maxCustomerName }),
    email: z.email().max(ORDER_LIMITS.maxEmail),
  }),
  lines: z
    .array(z.strictObject({ productId: z.uuid(), quantity: z.number().int().min(1).max(ORDER_LIMITS.maxQuantity) }))
    .min(1)
    .max(ORDER_LIMITS.maxLines),
  discountMinor: amountMinor.default(0),
  taxMinor: amountMinor.default(0),
  notes: notes.default(''),
});
export type CreateOrderInput = z.infer<typeof createOrderBody>;

/** `Idempotency-Key`: 1–255 visible ASCII characters (ORD-012); other headers pass through untouched. */
export const createOrderHeaders = z.looseObject({
  'idempotency-key': z
    .string()
    .regex(new RegExp(`^[\\x21-\\x7E]{1,${ORDER_LIMITS.maxIdempotencyKey}}$`))
    .optional(),
});

export const changeStatusBody = z.strictObject({ status, version });
export const changeNotesBody = z.strictObject({ notes, version });

/** `status=PENDING,CONFIRMED`: one status or several, comma-separated. */
const statusList = z
  .string()
  .max(200)
  .refine((value) => value.split(',').every((item) => (ORDER_STATUSES as readonly string[]).includes(item)), {
    message: 'not a list of order statuses',
    params: { rule: 'invalid_status' },
  })
  .transform((value) => value.split(',') as OrderStatus[]);

export const listOrdersQuery = paginationQuery
  .extend({
    status: statusList.optional(),
    storeId: z.uuid().optional(),
    /** Created at or after (inclusive). */
    from: z.iso.datetime({ offset: true }).optional(),
    /** Created before (exclusive). */
    to: z.iso.datetime({ offset: true }).optional(),
    /** An order number (`123` or `#123`), or part of the customer's name or email, in any letter case. */
    q: plainText({ min: 1, max: ORDER_LIMITS.maxSearch }).optional(),
  })
  .superRefine((query, context) => {
    if (query.from !== undefined && query.to !== undefined && Date.parse(query.from) >= Date.parse(query.to)) {
      context.addIssue({ code: 'custom', path: ['to'], message: 'must be after from', params: { rule: 'not_after_from' } });
    }
  });
export type ListOrdersQuery = z.infer<typeof listOrdersQuery>;

const storeRef = z.object({ id: z.uuid(), name: z.string() });
const customer = z.object({ name: z.string(), email: z.string() });

export const orderDetailSchema = z.object({
  id: z.uuid(),
  number: z.number().int(),
  status,
  /** The statuses this order may move to now (the status machine), in the order a UI offers them. */
  allowedTransitions: z.array(status),
  store: storeRef,
  customer,
  lines: z.array(
    z.object({
      position: z.number().int(),
      productId: z.uuid(),
      /** The product's name and SKU as they are now; the price is the one captured at creation. */
      productName: z.string(),
      sku: z.string(),
      quantity: z.number().int(),
      unitPriceMinor: z.number().int(),
      lineTotalMinor: z.number().int(),
    }),
  ),
  subtotalMinor: z.number().int(),
  discountMinor: z.number().int(),
  taxMinor: z.number().int(),
  totalMinor: z.number().int(),
  currency: z.string().length(3),
  notes: z.string(),
  version: z.number().int(),
  /** Oldest first; the first entry is the creation (`from` null). `by` is the token subject: a user id or `apikey:<id>`. */
  statusHistory: z.array(z.object({ from: status.nullable(), to: status, by: z.string(), at: z.iso.datetime() })),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type OrderDetailDto = z.infer<typeof orderDetailSchema>;

export const orderListItemSchema = z.object({
  id: z.uuid(),
  number: z.number().int(),
  status,
  store: storeRef,
  customer,
  lineCount: z.number().int(),
  totalMinor: z.number().int(),
  currency: z.string().length(3),
  createdAt: z.iso.datetime(),
  version: z.number().int(),
});
export type OrderListItemDto = z.infer<typeof orderListItemSchema>;
export const orderPage = pageSchema(orderListItemSchema);
