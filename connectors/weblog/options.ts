import { z } from 'zod';
import { ENCODING } from '../csv/options.ts';
import { formatProblem } from './log-format.ts';

/** Where a visitor cookie or a logged-in user id is found in a log line. */
export const idSource = z.union([
  z.strictObject({
    cookie: z
      .string()
      .min(1)
      .describe('a cookie of the Cookie header field ($http_cookie or a field named cookie)'),
  }),
  z.strictObject({ query: z.string().min(1).describe('a parameter of the requested URL') }),
  z.strictObject({
    field: z
      .string()
      .min(1)
      .describe('a field of the log format, e.g. remote_user or http_x_user_id'),
  }),
]);

export type IdSource = z.output<typeof idSource>;

/** Keys of a `weblog` table entry (beside the common ones). */
export const weblogTableShape = z.strictObject({
  /** A file or a glob (`logs/access.log*`, uncompressed files only), relative to `connection.dir` or the config's folder. */
  path: z.string().min(1),
  /** Apache/Nginx `combined` or `common`, or `pattern` for a format of your own. */
  format: z.enum(['combined', 'common', 'pattern']).default('combined'),
  /**
   * With format: pattern — an nginx `log_format`-style template (`$remote_addr - $remote_user
   * [$time_local] "$request" … "$http_cookie"`), or a regular expression with named groups
   * (`(?<name>…)`) when it starts with `^`.
   */
  pattern: z
    .string()
    .min(1)
    .superRefine((p, ctx) => {
      const problem = formatProblem(p);
      if (problem !== undefined)
        ctx.addIssue({ code: 'custom', message: `not a usable log pattern: ${problem}` });
    })
    .optional(),
  encoding: ENCODING.default('utf-8'),
  visitor_id: idSource.optional(),
  user_id: idSource.optional(),
});

export type WeblogOptions = z.output<typeof weblogTableShape>;

export function weblogOptions(options: Readonly<Record<string, unknown>>): WeblogOptions {
  return weblogTableShape.parse(options);
}
