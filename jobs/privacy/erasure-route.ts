import type { Logger } from '../../foundation/logger.ts';
import { errorMessage } from '../../foundation/errors.ts';
import type { LoadRunner } from '../serve/load-runner.ts';
import { eraseRequests, liftErasure, listErasures } from './erase-requests.ts';

const text = (v: unknown): string => (typeof v === 'string' ? v : '');

/**
 * `cdw customer erase | erasures | lift` inside `cdw serve` (the control endpoint): the write runs
 * like a load (never beside one; readers keep the state before it until it is done).
 * Returns [HTTP status, body].
 */
export async function erasureRoute(
  method: string,
  pathname: string,
  body: Record<string, unknown>,
  runner: LoadRunner,
  logger: Logger,
): Promise<[number, unknown]> {
  try {
    if (method === 'GET' && pathname === '/erasures')
      return [200, await runner.write((wh) => listErasures(wh))];
    if (method === 'POST' && pathname === '/erasures') {
      const requests = Array.isArray(body.requests) ? body.requests.map(text) : [];
      if (requests.length === 0 || text(body.reason).trim() === '')
        return [400, { error: 'requests and reason are required' }];
      logger.info(`erasure of ${requests.length} request(s) asked through the control endpoint`);
      return [
        200,
        await runner.write((wh, config) =>
          eraseRequests(wh, config, requests, text(body.reason), text(body.requestedBy), logger, {
            checkpoint: false,
          }),
        ),
      ];
    }
    const lift = /^\/erasures\/([^/]+)\/lift$/.exec(pathname);
    if (method === 'POST' && lift)
      return [
        200,
        {
          lifted: await runner.write((wh) =>
            liftErasure(wh, decodeURIComponent(lift[1]!), text(body.by), text(body.reason)),
          ),
        },
      ];
    return [404, { error: 'no such endpoint' }];
  } catch (err) {
    return [409, { error: errorMessage(err) }];
  }
}
