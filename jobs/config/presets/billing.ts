import type { Preset, PresetTable } from './types.ts';

const accounts: PresetTable = {
  name: 'accounts',
  entity: 'party',
  primary_key: 'account_id',
  cursor: 'updated_at',
  mapping: {
    record_key: 'account_id',
    title: 'title',
    first_name: 'first_name',
    last_name: 'last_name',
    full_name: 'name',
    email: 'email',
    phone: 'phone',
    address: 'address',
    postcode: 'postcode',
    city: 'city',
    country: 'country',
    birth_date: 'birth_date',
    status: 'status',
    consent_email: 'consent_email',
    consent_sms: 'consent_sms',
    consent_phone: 'consent_phone',
    created_at: 'created_at',
    updated_at: 'updated_at',
  },
};

const invoices: PresetTable = {
  name: 'invoices',
  entity: 'transaction',
  primary_key: 'invoice_id',
  cursor: 'updated_at',
  mapping: {
    record_key: 'invoice_id',
    kind: "'invoice'",
    party_key: 'account_id',
    amount: 'amount',
    currency: 'currency',
    product: 'product',
    product_category: "CASE WHEN product LIKE '%insurance' THEN 'insurance' ELSE 'telecom' END",
    status: 'status',
    occurred_at: 'issued_at',
    updated_at: 'updated_at',
  },
};

const payments: PresetTable = {
  name: 'payments',
  entity: 'transaction',
  primary_key: 'payment_id',
  cursor: 'updated_at',
  mapping: {
    record_key: 'payment_id',
    kind: "'payment'",
    party_key: 'account_id',
    amount: 'amount',
    currency: 'currency',
    status: "'paid'",
    occurred_at: 'paid_at',
    updated_at: 'updated_at',
  },
};

/** Billing: customer accounts, monthly invoices per subscription, payments. */
export const billingPreset: Preset = {
  name: 'billing',
  description:
    'billing accounts, invoices and payments (PostgreSQL schema cdw_demo, or nightly CSV extracts <table>_<date>.csv)',
  tables: {
    postgres: [accounts, invoices, payments].map((t) => ({ ...t, table: `cdw_demo.${t.name}` })),
    csv: [accounts, invoices, payments].map((t) => ({ ...t, path: `${t.name}_*.csv` })),
  },
};
