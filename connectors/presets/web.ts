import type { Preset } from './types.ts';

/** Web: the site's access log (combined format plus the Cookie header), logins in the remote-user field. */
export const webPreset: Preset = {
  name: 'web',
  description: 'web server access log: combined format with the Cookie header appended; visitor cookie _vid; logged-in user id',
  tables: {
    weblog: [
      {
        name: 'access',
        entity: 'web_hit',
        path: 'access.log',
        format: 'combined_cookie',
        cookie: '_vid',
        user: 'remote_user',
        mapping: {
          record_key: 'line_key', occurred_at: 'time', ip: 'ip', cookie_id: 'cookie_id', user_id: 'user_id', method: 'method',
          url: 'url', status: 'status', bytes: 'bytes', referrer: 'referrer', user_agent: 'user_agent',
        },
      },
    ],
  },
};
