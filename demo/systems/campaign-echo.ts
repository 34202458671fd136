import type { Person } from '../model.ts';
import { readCampaignList } from '../marketing-lists.ts';
import {
  campaignEcho,
  campaignPart,
  demoCampaigns,
  type CampaignEcho,
  type CampaignPart,
  type DemoCampaign,
} from './marketing-plan.ts';

/** A campaign whose answers may come tonight, with the list it went to (when cdw made one). */
export interface LiveCampaign {
  readonly campaign: DemoCampaign;
  readonly list: ReadonlySet<string> | undefined;
}

/**
 * The campaigns sent tonight or last night (answers come on the send night or the next), each with
 * the list cdw produced the night before it went out. The marketing, web and contact-centre
 * systems all read the same lists, so they agree on who was sent what.
 */
export function liveCampaigns(dir: string, night: number): LiveCampaign[] {
  return demoCampaigns(night)
    .filter((c) => c.night === night || c.night === night - 1)
    .map((campaign) => ({ campaign, list: readCampaignList(dir, campaign.night - 1) }));
}

/** A person's part in one live campaign and what it brings besides a purchase. */
export interface PartEcho {
  readonly campaign: DemoCampaign;
  readonly part: CampaignPart;
  readonly echo: CampaignEcho;
}

/** The person's parts in the live campaigns (none when on no list). */
export function echoesOf(seed: number, live: readonly LiveCampaign[], p: Person): PartEcho[] {
  const out: PartEcho[] = [];
  for (const { campaign, list } of live) {
    const part = campaignPart(seed, campaign, p, list);
    if (part !== undefined) out.push({ campaign, part, echo: campaignEcho(seed, campaign, p, part) });
  }
  return out;
}
