/**
 * Records a zone already holds that the stack keeps managing (zone.extraRecords), keyed by
 * name, type and content so reordering the list never replaces one.
 */
import { createHash } from "crypto";
import type { ZoneConfig } from "../config/schema";
import { fqdn } from "../../policies/shared/names";
import { RecordSpec } from "./records";
import { txtContent } from "../../policies/shared/dns-text";
import { fitComment, recordCommentLimit } from "./comments";

/** `mail MX mx1.example.net`, `@ TXT 3f2a9c1e` (a TXT's content is long: a short digest of it). */
export function extraRecordKey(r: ZoneConfig["extraRecords"][number]): string {
  const what = r.type === "TXT" ? createHash("sha256").update(r.content).digest("hex").slice(0, 8) : r.content.toLowerCase().replace(/\.$/, "");
  return `${r.name} ${r.type} ${what}`;
}

export function extraRecords(zone: ZoneConfig): RecordSpec[] {
  const commentLimit = recordCommentLimit(zone.plan);
  return zone.extraRecords.map((r, i) => ({
    key: extraRecordKey(r),
    name: r.name,
    fqdn: fqdn(r.name, zone.name),
    type: r.type,
    content: r.type === "TXT" ? txtContent(r.content) : r.content,
    proxied: r.proxied,
    ttl: 1,
    ...(r.priority !== undefined ? { priority: r.priority } : {}),
    purpose: "extra",
    // The founder's comment is within the plan's limit (lib/site-plan.ts says so otherwise); the prefix only where it fits.
    comment: r.comment ? fitComment(commentLimit, `launch-ready: kept from the zone (${r.comment})`, r.comment) : "launch-ready: kept from the zone",
    configKey: `zone.extraRecords[${i}]`,
  }));
}
