/**
 * DNS record comments within the zone's plan: Cloudflare refuses a longer one (error 9313), and
 * the limit differs per plan (cloudflare-plans.json recordCommentLength: Free 100, paid 500).
 */
import type { Tier } from "../provider-facts";
import { tierLimits } from "../edge/tiers";
import type { RecordSpec } from "./records";

/** The most characters a record comment may have on the plan. */
export function recordCommentLimit(tier: Tier): number {
  return tierLimits(tier).recordCommentLength;
}

/** Characters as Cloudflare counts them (code points, so an emoji is one). */
export function commentLength(comment: string): number {
  return [...comment].length;
}

/**
 * The first wording that fits the limit, most telling first; when none does, the last one cut to
 * fit (a generated comment never reaches the API longer than the plan allows).
 */
export function fitComment(limit: number, ...wordings: [string, ...string[]]): string {
  const fits = wordings.find((w) => commentLength(w) <= limit);
  if (fits !== undefined) return fits;
  const last = [...wordings[wordings.length - 1]];
  return `${last.slice(0, limit - 1).join("")}…`;
}

/** Every record's comment within the limit: a generated comment too long for the plan is cut to fit. */
export function fitRecordComments(records: readonly RecordSpec[], limit: number): RecordSpec[] {
  return records.map((r) => (commentLength(r.comment) <= limit ? r : { ...r, comment: fitComment(limit, r.comment) }));
}
