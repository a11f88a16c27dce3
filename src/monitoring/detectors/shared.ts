import { CLAIM_STATES, ClaimState } from '../../claims/domain/claims';

/**
 * Claims that ask for money: submitted and on their way, or paid. A draft has not asked yet, a rejected claim is back
 * with the village (it asks again only once corrected and resubmitted), a withdrawn one is given up. Written as what is
 * left out, so a state added later counts until someone decides otherwise.
 */
const NOT_ASKING: readonly ClaimState[] = ['draft', 'rejected', 'withdrawn'];
export const CLAIMS_IN_PLAY: readonly ClaimState[] = CLAIM_STATES.filter((s) => !NOT_ASKING.includes(s));

/** The first few of a list, then how many in all: a summary names the figures, the evidence holds every one. */
export function listed(items: readonly string[], shown = 3): string {
  return items.length <= shown ? items.join('、') : `${items.slice(0, shown).join('、')} 等 ${items.length} 項`;
}

/** An alert's summary is at most 500 characters (monitoring_alerts.summary); names typed by people can be long. */
const SUMMARY_MAX = 500;

export function clipped(summary: string): string {
  return summary.length <= SUMMARY_MAX ? summary : `${summary.slice(0, SUMMARY_MAX - 1)}…`;
}
