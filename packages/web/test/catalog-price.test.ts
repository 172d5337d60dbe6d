import { describe, expect, it } from 'vitest';
import { currencyDigits, parsePrice, priceInput } from '../src/components/catalog/price.ts';

describe('WEB-031 prices typed as decimal amounts, sent in minor units', () => {
  it.each([
    { currency: 'JPY', digits: 0 },
    { currency: 'USD', digits: 2 },
    { currency: 'EUR', digits: 2 },
    { currency: 'KWD', digits: 3 },
  ])('WEB-031 $currency has $digits decimals, as Intl.NumberFormat says', ({ currency, digits }) => {
    expect(currencyDigits(currency)).toBe(digits);
  });

  it.each([
    { typed: '12.50', currency: 'USD', group: ',', minor: 1250 },
    { typed: '12.5', currency: 'USD', group: ',', minor: 1250 },
    { typed: '0.07', currency: 'USD', group: ',', minor: 7 },
    { typed: '.5', currency: 'USD', group: ',', minor: 50 },
    { typed: '1,234.56', currency: 'USD', group: ',', minor: 123456 },
    { typed: '1,000', currency: 'USD', group: ',', minor: 100000 },
    { typed: ' 42 ', currency: 'USD', group: ',', minor: 4200 },
    { typed: '12,50', currency: 'EUR', group: '.', minor: 1250 },
    { typed: '1.234,56', currency: 'EUR', group: '.', minor: 123456 },
    { typed: '1 234,56', currency: 'EUR', group: '.', minor: 123456 },
    { typed: '1200', currency: 'JPY', group: ',', minor: 1200 },
    { typed: '1,200', currency: 'JPY', group: ',', minor: 1200 },
    { typed: '1.200', currency: 'JPY', group: '.', minor: 1200 },
    { typed: '12.345', currency: 'KWD', group: ',', minor: 12345 },
    { typed: '12,3', currency: 'KWD', group: '.', minor: 12300 },
    { typed: '1000000000', currency: 'USD', group: ',', minor: 100000000000 },
  ] as const)('WEB-031 "$typed" $currency (thousands "$group") is $minor minor units, exactly', ({ typed, currency, group, minor }) => {
    expect(parsePrice(typed, currency, group)).toEqual({ kind: 'ok', minor });
  });

  it.each([
    { typed: '12.505', currency: 'USD', group: ',', refused: { kind: 'tooManyDecimals', digits: 2 } },
    { typed: '1200.5', currency: 'JPY', group: ',', refused: { kind: 'tooManyDecimals', digits: 0 } },
    { typed: '1.000', currency: 'JPY', group: ',', refused: { kind: 'tooManyDecimals', digits: 0 } },
    { typed: '12.3456', currency: 'KWD', group: ',', refused: { kind: 'tooManyDecimals', digits: 3 } },
    { typed: '-5', currency: 'USD', group: ',', refused: { kind: 'invalid' } },
    { typed: '+5', currency: 'USD', group: ',', refused: { kind: 'invalid' } },
    { typed: '5 USD', currency: 'USD', group: ',', refused: { kind: 'invalid' } },
    { typed: '1e3', currency: 'USD', group: ',', refused: { kind: 'invalid' } },
    { typed: '1,2,3', currency: 'USD', group: ',', refused: { kind: 'invalid' } },
    { typed: '1.234.5', currency: 'USD', group: ',', refused: { kind: 'invalid' } },
    { typed: '1,234,56.7', currency: 'USD', group: ',', refused: { kind: 'invalid' } },
    { typed: '99999999999999999', currency: 'USD', group: ',', refused: { kind: 'invalid' } },
    { typed: '', currency: 'USD', group: ',', refused: { kind: 'empty' } },
    { typed: '   ', currency: 'USD', group: ',', refused: { kind: 'empty' } },
  ] as const)('WEB-031 refuses "$typed" in $currency', ({ typed, currency, group, refused }) => {
    expect(parsePrice(typed, currency, group)).toEqual(refused);
  });

  it.each([
    { minor: 1250, currency: 'USD', separator: '.', shown: '12.50' },
    { minor: 5, currency: 'USD', separator: '.', shown: '0.05' },
    { minor: 1250, currency: 'EUR', separator: ',', shown: '12,50' },
    { minor: 1200, currency: 'JPY', separator: '.', shown: '1200' },
    { minor: 12345, currency: 'KWD', separator: '.', shown: '12.345' },
  ])('WEB-031 an edit form shows $minor $currency as "$shown", which reads back to the same minor units', ({ minor, currency, separator, shown }) => {
    expect(priceInput(minor, currency, separator)).toBe(shown);
    expect(parsePrice(shown, currency, separator === ',' ? '.' : ',')).toEqual({ kind: 'ok', minor });
  });
});
