/**
 * The two Cloudflare resources several components declare, built one way:
 * a DNS record from a RecordSpec, and a phase entrypoint ruleset from its rules.
 */
import * as pulumi from "@pulumi/pulumi";
import * as cloudflare from "@pulumi/cloudflare";
import type { RecordSpec } from "../lib/dns/records";
import type { Phase, RuleSpec } from "../lib/edge/rules";
import { childName, childOptions } from "./naming";

/** Resource names may not contain spaces; "@" reads better as "apex". */
export function resourceName(key: string): string {
  return key
    .replace(/^@/, "apex")
    .replace(/ @/g, " apex")
    .replace(/[^A-Za-z0-9_.-]+/g, "-");
}

export interface ZoneRef {
  /** The Cloudflare zone id: a string from config, or another resource's output (a cloudflare.Zone's id). */
  zoneId: pulumi.Input<string>;
  /** Existing records to adopt, by record key: imported, never re-created, kept on `pulumi destroy`. */
  existingRecords: Record<string, string>;
  /** Existing phase entrypoint rulesets to adopt, by phase: imported and updated in place, their name kept. */
  existingRulesets: Record<string, string>;
}

/** A DNS record, child of `parent` (named `component`); `content`, when given, replaces the spec's (another resource's output). */
export function declareRecord(
  spec: RecordSpec,
  zone: ZoneRef,
  parent: pulumi.Resource,
  component: string,
  content?: pulumi.Input<string>,
): cloudflare.DnsRecord {
  const existing = zone.existingRecords[spec.key];
  const zoneId = existing ? importableZoneId(zone) : undefined;
  return new cloudflare.DnsRecord(
    childName(component, resourceName(spec.key)),
    {
      zoneId: zone.zoneId,
      name: spec.fqdn,
      type: spec.type,
      // CAA takes its parts in `data`, which Cloudflare refuses beside `content` (lib/provider-facts/cloudflare.json).
      ...(spec.data ? { data: { ...spec.data } } : { content: content ?? spec.content }),
      proxied: spec.proxied,
      ttl: spec.ttl,
      ...(spec.priority !== undefined ? { priority: spec.priority } : {}),
      comment: spec.comment,
    },
    // Delete first on replacement: Cloudflare refuses a CNAME beside another record of
    // the same name, and a second identical record.
    childOptions(
      parent,
      resourceName(spec.key),
      (spec.previousKeys ?? []).map(resourceName),
      // An adopted record existed before the stack: `pulumi destroy` leaves it in the zone.
      { deleteBeforeReplace: true, ...(existing ? { import: `${zoneId}/${existing}`, retainOnDelete: true } : {}) },
    ),
  );
}

/** A phase entrypoint ruleset, child of `parent` (named `component`). */
export function declareRuleset(
  phase: Phase,
  rules: readonly RuleSpec[],
  zone: ZoneRef,
  parent: pulumi.Resource,
  component: string,
  description: string,
): cloudflare.Ruleset {
  const existing = zone.existingRulesets[phase];
  const zoneId = existing ? importableZoneId(zone) : undefined;
  return new cloudflare.Ruleset(
    childName(component, phase),
    { zoneId: zone.zoneId, kind: "zone", phase, name: `launch-ready ${phase}`, description, rules: rules.map((r) => ({ ...r })) },
    // The provider documents the import id as zones/<zone_id>/<ruleset_id>. An adopted
    // entrypoint keeps its dashboard name: `name` forces a replacement, and the engine refuses
    // to replace an imported resource (lib/provider-facts cloudflare.json importMustIgnore).
    // Like an adopted record, an adopted entrypoint outlives `pulumi destroy` (it existed before the stack).
    childOptions(parent, phase, [], existing ? { import: `zones/${zoneId}/${existing}`, ignoreChanges: ["name"], retainOnDelete: true } : {}),
  );
}

/** An import id is a plain string, known before the program runs: adoption needs the zone id as one. */
function importableZoneId(zone: ZoneRef): string {
  if (typeof zone.zoneId !== "string") {
    throw new pulumi.RunError(
      "adopting existing records or rulesets (zone.existingRecords, zone.existingRulesets) needs the zone id as a string, not another resource's output",
    );
  }
  return zone.zoneId;
}
