import type { Preset, PresetTable } from './types.ts';

const customers: PresetTable = {
  name: 'customers',
  entity: 'party',
  primary_key: 'customer_no',
  cursor: 'updated_at',
  mapping: {
    record_key: 'customer_no',
    first_name: 'first_name',
    last_name: 'last_name',
    company: 'company',
    email: 'email',
    phone: 'phone',
    address: 'address',
    postcode: 'zip',
    city: 'city',
    country: 'country',
    birth_date: 'birth_date',
    external_ref: 'billing_account_ref',
    external_ref_source: "'billing.accounts'",
    web_user_id: 'web_user_id',
    created_at: 'created_at',
    updated_at: 'updated_at',
  },
};

const salesOrders: PresetTable = {
  name: 'sales_orders',
  entity: 'transaction',
  primary_key: 'order_no',
  cursor: 'updated_at',
  mapping: {
    record_key: 'order_no',
    kind: "'order'",
    party_key: 'customer_no',
    occurred_at: 'order_date',
    product: 'product',
    quantity: 'quantity',
    amount: 'amount',
    currency: 'currency',
    channel: 'channel',
    status: 'status',
    updated_at: 'updated_at',
  },
};

/** ERP: customers (with a cross-reference to billing and the web shop's user id) and sales orders. */
export const erpPreset: Preset = {
  name: 'erp',
  description:
    'ERP customers and sales orders (MySQL tables demo_erp_*, or nightly CSV extracts <table>_<date>.csv)',
  tables: {
    mysql: [customers, salesOrders].map((t) => ({ ...t, table: `demo_erp_${t.name}` })),
    csv: [customers, salesOrders].map((t) => ({ ...t, path: `${t.name}_*.csv` })),
  },
};
