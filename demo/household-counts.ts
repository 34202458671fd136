import type { Household } from './model.ts';
import type { Tally } from './tally.ts';

/** Counts what a household brings to the night: new people, shared homes, life events. */
export function countHousehold(h: Household, night: number, tally: Tally): void {
  if (h.createdNight === night) {
    tally.add('company.households_new');
    tally.add('company.persons_new', h.members.length);
    if (h.members.length >= 2) {
      tally.add('households.shared_address');
      if (h.landline !== undefined) tally.add('households.shared_landline');
      const insured = h.members.filter((m) => m.member.billing > 0 && m.products.includes(0));
      const uninsured = h.members.filter((m) => m.member.billing > 0 && !m.products.includes(0));
      if (insured.length > 0 && uninsured.length > 0) tally.add('households.cross_sell_pair');
    }
    if (h.scenario === 'namesake_b' || (h.scenario === undefined && h.members[0]?.role === 'namesake')) tally.add('persons.same_name_different_person');
    for (const m of h.members) if (m.maidenName !== undefined) tally.add('persons.married_before_first_night');
    countHarshFacts(h, tally);
  }
  if (h.moveNight === night) tally.add('events.household_moved');
  for (const m of h.members) {
    if (m.marryNight === night) tally.add('events.marriage');
    if (m.closeNight === night) tally.add('events.account_closed');
    if (m.deceasedNight === night) tally.add('events.deceased');
    if (m.optOutNight === night) tally.add('events.consent_withdrawn');
    if (h.createdNight < night && (m.member.erpNight === night || m.member.posNight === night || m.member.billingNight === night)) {
      tally.add('events.joined_another_system');
    }
  }
}

/** The harsh noise model's person facts (none in a standard demo, so its tally is unchanged). */
function countHarshFacts(h: Household, tally: Tally): void {
  const m = h.members;
  for (const x of m) {
    if (x.suffix !== undefined) tally.add('persons.generational_suffix');
    if (x.foreignMobile !== undefined) tally.add('persons.foreign_mobile');
  }
  if (m.some((x, i) => i >= 2 && x.suffix !== undefined && m.slice(0, 2).some((f) => f.gender === 'M' && f.first === x.first && f.last === x.last))) {
    tally.add('households.father_and_son_same_name');
  }
  if (m[0]?.sharedEmail !== undefined) tally.add('households.shared_mailbox');
}
