import type { Preset } from './types.ts';

const RU_TILLS = { delimiter: ';', encoding: 'windows-1251' } as const;

/** POS: the loyalty card list and the till receipts of two store chains. */
export const posPreset: Preset = {
  name: 'pos',
  description:
    'POS loyalty cards and receipts: Russian chain files semicolon-separated in Windows-1251, US chain in UTF-8',
  tables: {
    csv: [
      {
        name: 'loyalty_cards',
        entity: 'party',
        path: 'loyalty_cards.csv',
        ...RU_TILLS,
        primary_key: 'card_no',
        date_formats: ['%d.%m.%Y'],
        mapping: {
          record_key: 'card_no',
          loyalty_card: 'card_no',
          full_name: 'holder_name',
          phone: 'phone',
          email: 'email',
          birth_date: 'birth_date',
          country: 'chain',
          status: 'status',
          created_at: 'issued_on',
        },
      },
      {
        name: 'sales_ru',
        entity: 'transaction',
        path: 'sales_*.csv',
        ...RU_TILLS,
        primary_key: 'receipt_no',
        date_formats: ['%d.%m.%Y %H:%M:%S'],
        mapping: {
          record_key: 'receipt_no',
          kind: "'sale'",
          card: 'card_no',
          amount: "replace(amount, ',', '.')",
          currency: 'currency',
          quantity: 'items',
          store: 'store',
          channel: "'store'",
          occurred_at: 'sold_at',
        },
      },
      {
        name: 'sales_us',
        entity: 'transaction',
        path: 'us/sales_*.csv',
        primary_key: 'receipt_id',
        timezone: 'America/New_York',
        date_formats: ['%m/%d/%Y %I:%M:%S %p'],
        mapping: {
          record_key: 'receipt_id',
          kind: "'sale'",
          card: 'loyalty_card',
          amount: 'total',
          currency: 'currency',
          quantity: 'item_count',
          store: 'store_id',
          channel: "'store'",
          occurred_at: 'timestamp',
        },
      },
    ],
  },
};
