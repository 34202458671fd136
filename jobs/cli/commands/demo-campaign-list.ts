import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { CdwConfig } from '../../../foundation/config-types.ts';
import { Warehouse } from '../../../foundation/duckdb-client.ts';
import type { Logger } from '../../../foundation/logger.ts';
import { buildCampaign, campaignListQuery } from '../../reports/lists/campaign.ts';
import { copyToFile } from '../../reports/files/export.ts';
import { errorMessage } from '../../../foundation/errors.ts';

/**
 * After a demo night's run: the e-mail campaign list of `segment`, as cdw produces it
 * (`cdw report campaign --segment S --channel email`), written to `file`, where the demo's
 * marketing system reads it for its next campaign. A list that cannot be built (no segment yet)
 * is a warning: the marketing system then chooses by its own rule.
 */
export async function writeDemoCampaignList(
  config: CdwConfig,
  file: string,
  segment: string,
  logger: Logger,
): Promise<void> {
  let wh: Warehouse | undefined;
  try {
    wh = await Warehouse.open(config.warehouse.path);
    await buildCampaign(wh, {
      segment,
      channel: 'email',
      complaintDays: config.reports.complaintDays,
    });
    mkdirSync(path.dirname(file), { recursive: true });
    await copyToFile(wh, campaignListQuery('email'), file, 'csv');
  } catch (err) {
    logger.warn(`demo: no campaign list of segment ${segment}: ${errorMessage(err)}`);
  } finally {
    wh?.close();
  }
}
