/**
 * The two Cloudflare resources several components declare, built one way:
 * a DNS record from a RecordSpec, and a phase entrypoint ruleset from its rules.
 */
import * as pulumi from "@pulumi/pulumi";
import * as cloudflare from "@pulumi/cloudflare";
import type { RecordSpec } from "../lib/dns/records";
import type { Phase, RuleSpec } from "../lib/edge/rules";
import { declaredRecordInputs, type AdoptedRecord, type AdoptedRuleset } from "../lib/adopt/phases";
import { childName, childOptions } from "./naming";
import { recordProtected, type ProtectPlan } from "../lib/state/protect";

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
  /**
   * Existing records to adopt, by record key: imported, never re-created, kept on `pulumi destroy`.
   * While an entry carries `live` (phase one), the record is declared as the zone holds it.
   */
  existingRecords: Record<string, AdoptedRecord>;
  /** Existing phase entrypoint rulesets to adopt, by phase: imported (as live in phase one), then updated in place, their name kept. */
  existingRulesets: Record<string, AdoptedRuleset>;
  /** Which kinds of record carry Pulumi's `protect` option (lib/state/protect.ts: web records, mail records). Unset: none. */
  protect?: ProtectPlan;
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
    // In phase one of adoption, the live values; an output-valued content (Vercel's verification) replaces the planned text.
    { zoneId: zone.zoneId, name: spec.fqdn, ...declaredRecordInputs(spec, existing), ...(content !== undefined && !existing?.live ? { content } : {}) },
    // Delete first on replacement: Cloudflare refuses a CNAME beside another record of
    // the same name, and a second identical record.
    childOptions(
      parent,
      resourceName(spec.key),
      (spec.previousKeys ?? []).map(resourceName),
      // An adopted record existed before the stack: `pulumi destroy` leaves it in the zone. The import
      // option stays after phase one: once the state holds the resource under that import id, the
      // engine diffs it as usual (engine.json importOptionKept), and it still refuses to replace it.
      {
        deleteBeforeReplace: true,
        ...(recordProtected(spec, zone.protect) ? { protect: true } : {}),
        ...(existing ? { import: `${zoneId}/${existing.id}`, retainOnDelete: true } : {}),
      },
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
  // Phase one declares the entrypoint as the zone holds it (lib/adopt/phases.ts), phase two the stack's rules.
  // Live rules are the API's, in the SDK's form; the conformance stage checks their shape against the SDK's types.
  const declared: Pick<cloudflare.RulesetArgs, "name" | "description" | "rules"> = existing?.live
    ? { ...existing.live, rules: existing.live.rules as cloudflare.types.input.RulesetRule[] }
    : { name: `launch-ready ${phase}`, description, rules: rules.map((r) => ({ ...r })) };
  return new cloudflare.Ruleset(
    childName(component, phase),
    { zoneId: zone.zoneId, kind: "zone", phase, ...declared },
    // The provider documents the import id as zones/<zone_id>/<ruleset_id>. An adopted
    // entrypoint keeps its dashboard name: `name` forces a replacement, and the engine refuses
    // to replace an imported resource (lib/provider-facts cloudflare.json importMustIgnore).
    // Like an adopted record, an adopted entrypoint outlives `pulumi destroy` (it existed before the stack).
    childOptions(parent, phase, [], existing ? { import: `zones/${zoneId}/${existing.id}`, ignoreChanges: ["name"], retainOnDelete: true } : {}),
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
