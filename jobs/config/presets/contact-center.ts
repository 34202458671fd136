import type { Preset } from './types.ts';

/** Contact centre: call records from the phone switch (CSV) and help-desk tickets (JSON lines). */
export const contactCenterPreset: Preset = {
  name: 'contact_center',
  description:
    'contact centre calls (CSV calls_<date>.csv) and help-desk tickets (JSON lines tickets_<date>.jsonl)',
  tables: {
    csv: [
      {
        name: 'calls',
        entity: 'interaction',
        path: 'calls_*.csv',
        primary_key: 'call_id',
        mapping: {
          record_key: 'call_id',
          phone: 'caller',
          channel: "'phone'",
          direction: 'direction',
          queue: 'queue',
          category: 'category',
          is_complaint: "category = 'complaint'",
          is_abandoned: "abandoned = 'Y'",
          duration_s: 'duration_s',
          opened_at: 'started_at',
        },
      },
    ],
    jsonl: [
      {
        name: 'tickets',
        entity: 'interaction',
        path: 'tickets_*.jsonl',
        primary_key: 'ticket_id',
        cursor: 'updated_at',
        mapping: {
          record_key: 'ticket_id',
          email: 'email',
          channel: 'channel',
          category: 'category',
          is_complaint: "category = 'complaint'",
          status: 'status',
          opened_at: 'opened_at',
          resolved_at: 'resolved_at',
          updated_at: 'updated_at',
        },
      },
    ],
  },
};
