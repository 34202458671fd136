import type { Preset } from './types.ts';

/** nginx `log_format` of the demo site: combined plus the Cookie header. */
export const COMBINED_WITH_COOKIE =
  '$remote_addr $ident $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent" "$http_cookie"';

/** Web: the site's access log (combined format plus the Cookie header), logins in the remote-user field. */
export const webPreset: Preset = {
  name: 'web',
  description:
    'web server access log: combined format plus the Cookie header; visitor cookie _vid; logged-in user id in the remote-user field',
  tables: {
    weblog: [
      {
        name: 'access',
        entity: 'web_hit',
        // The glob takes in the rotated file too, so lines written just before a rotation are not missed.
        path: 'access.log*',
        format: 'pattern',
        pattern: COMBINED_WITH_COOKIE,
        visitor_id: { cookie: '_vid' },
        user_id: { field: 'remote_user' },
        mapping: {
          record_key: 'hit_key',
          occurred_at: 'ts',
          ip: 'remote_addr',
          cookie_id: 'visitor_id',
          user_id: 'user_id',
          method: 'method',
          url: 'url',
          status: 'status',
          bytes: 'body_bytes_sent',
          referrer: 'http_referer',
          user_agent: 'http_user_agent',
        },
      },
    ],
  },
};
