/**
 * Plan limits: what the zone's Cloudflare plan allows, from the one table the program
 * fits its own rules to (lib/provider-facts/cloudflare-plans.json).
 */
import { CLOUDFLARE_MANAGED_RULESET_ID } from "../../policies/shared/bar";
import { Tier, phaseRuleLimit, tierLimits } from "../edge/tiers";
import { cloudflarePlans } from "../provider-facts";
import { RESOURCE_TYPES } from "../../policies/shared/resource-types";
import { revealSecret as plain } from "../planned/secrets";
import type { ConformanceFinding, Resource } from "./types";
import { printable, UNKNOWN } from "./values-path";

/** The Rules-language fields an expression uses (identifiers such as http.request.uri.path, ip.src, cf.colo.id). */
export function expressionFields(expression: string): string[] {
  const withoutStrings = expression.replace(/"(?:[^"\\]|\\.)*"/g, '""');
  return [...new Set(withoutStrings.match(/\b(?:http|ip|cf|ssl|raw)\.[a-z0-9_.]*[a-z0-9_]/g) ?? [])];
}

export function checkPlanLimits(
  resources: readonly Resource[],
  tierOf: (zoneId: string) => Tier | undefined,
): { findings: ConformanceFinding[]; skipped: string[] } {
  const findings: ConformanceFinding[] = [];
  const skippedZones = new Set<string>();
  const recordsByZone = new Map<string, Resource[]>();
  for (const r of resources) {
    if (r.type !== RESOURCE_TYPES.ruleset && r.type !== RESOURCE_TYPES.botManagement && r.type !== RESOURCE_TYPES.dnsRecord) continue;
    const zoneId = plain(r.props.zoneId);
    if (typeof zoneId !== "string" || zoneId === UNKNOWN) continue;
    const tier = tierOf(zoneId);
    if (!tier) {
      skippedZones.add(zoneId);
      continue;
    }
    const limits = tierLimits(tier);
    const base = { check: "plan-limit" as const, urn: r.urn, type: r.type, name: r.name };
    const add = (f: Omit<ConformanceFinding, "check" | "urn" | "type" | "name">) =>
      findings.push({ ...base, ...f, message: `${f.message} on the ${limits.label} plan` });
    if (r.type === RESOURCE_TYPES.botManagement) {
      checkBots(r, tier, add);
      continue;
    }
    if (r.type === RESOURCE_TYPES.dnsRecord) {
      checkRecord(r, tier, add);
      if (!recordsByZone.has(zoneId)) recordsByZone.set(zoneId, []);
      recordsByZone.get(zoneId)!.push(r);
      continue;
    }
    checkRuleset(r, tier, add);
  }
  for (const [zoneId, records] of recordsByZone) findings.push(...checkRecordCount(records, tierOf(zoneId)!));
  const skipped = [...skippedZones].map(
    (z) => `plan limits of zone ${z}: its Cloudflare plan is not known (pass --zone-plan free|pro|business|enterprise|enterprise_arl)`,
  );
  return { findings, skipped };
}

/** Bot Fight Mode is the Free plan's product; Super Bot Fight Mode is Pro's and above, likely-automated from Business. */
function checkBots(r: Resource, tier: Tier, add: AddFinding): void {
  const product = cloudflarePlans.botFields[tierLimits(tier).bots];
  // A field set to its neutral value (off, allow) is the documented clean-up for a changed plan, never an error.
  const neutral = (v: unknown) => v === false || v === "allow" || v === "disabled" || v === undefined || v === UNKNOWN;
  for (const [key, raw] of Object.entries(r.props)) {
    if (key === "zoneId" || key.startsWith("__")) continue;
    const v = plain(raw);
    if (neutral(v) || product.allowed.includes(key)) continue;
    add({
      property: key,
      given: printable(v, false),
      allowed: `${product.label}: ${product.allowed.join(", ")}`,
      source: cloudflarePlans.sources.bots,
      message: `is not part of ${product.label}`,
    });
  }
}

type AddFinding = (f: Omit<ConformanceFinding, "check" | "urn" | "type" | "name">) => void;

/** A ruleset's rules against the plan: how many, regular expressions, the managed ruleset, skips, rate-limit fields. */
function checkRuleset(r: Resource, tier: Tier, add: AddFinding): void {
  const limits = tierLimits(tier);
  const phase = String(plain(r.props.phase));
  const rules: any[] = (plain(r.props.rules) ?? []).map(plain);
  const count = phaseRuleLimit(phase, tier);
  if (count && rules.length > count.max) {
    add({
      property: "rules",
      given: `${rules.length} rules`,
      allowed: `at most ${count.max}`,
      source: count.source,
      message: `phase ${phase} holds too many rules`,
    });
  }
  rules.forEach((rule, i) => {
    const expression = plain(rule.expression);
    if (typeof expression === "string" && !limits.regex && /\bmatches\b|~/.test(expression.replace(/"(?:[^"\\]|\\.)*"/g, '""'))) {
      add({
        property: `rules[${i}].expression`,
        given: printable(expression, false),
        allowed: "expressions without regular expressions (matches)",
        source: "https://developers.cloudflare.com/ruleset-engine/rules-language/operators/#comparison-operators (matches needs Business or above)",
        message: "uses a regular expression",
      });
    }
    if (
      phase === "http_request_firewall_managed" &&
      plain(rule.action) === "execute" &&
      plain(rule.actionParameters)?.id === CLOUDFLARE_MANAGED_RULESET_ID &&
      !limits.managedRuleset
    ) {
      add({
        property: `rules[${i}].actionParameters.id`,
        given: JSON.stringify(CLOUDFLARE_MANAGED_RULESET_ID),
        allowed: "the Free Managed Ruleset Cloudflare deploys itself",
        source: cloudflarePlans.sources.managedRuleset,
        message: "executes the Cloudflare Managed Ruleset, which is not available",
      });
    }
    const skipped: unknown[] = (plain(plain(rule.actionParameters)?.phases) ?? []).map(plain);
    if (plain(rule.action) === "skip" && skipped.includes("http_request_sbfm") && limits.bots === "bot_fight_mode") {
      add({
        property: `rules[${i}].actionParameters.phases`,
        given: printable(skipped, false),
        allowed: "no Super Bot Fight Mode phase to skip: Bot Fight Mode cannot be skipped by any rule",
        source: cloudflarePlans.sources.botFightModeSkip,
        message: "skips Super Bot Fight Mode, which this plan does not have (its Bot Fight Mode cannot be skipped)",
      });
    }
    const rl = plain(rule.ratelimit);
    if (phase !== "http_ratelimit" || !rl) return;
    const period = plain(rl.period);
    if (typeof period === "number" && !limits.rateLimitPeriods.includes(period)) {
      add({
        property: `rules[${i}].ratelimit.period`,
        given: String(period),
        allowed: limits.rateLimitPeriods.join(", "),
        source: cloudflarePlans.sources.rateLimits,
        message: "is not a counting period this plan offers",
      });
    }
    const timeout = plain(rl.mitigationTimeout);
    if (typeof timeout === "number" && !limits.mitigationTimeouts.includes(timeout)) {
      add({
        property: `rules[${i}].ratelimit.mitigationTimeout`,
        given: String(timeout),
        allowed: limits.mitigationTimeouts.join(", "),
        source: cloudflarePlans.sources.rateLimits,
        message: "is not a mitigation timeout this plan offers",
      });
    }
    const characteristics: unknown[] = (plain(rl.characteristics) ?? []).map(plain);
    const allowedChars = limits.rateLimitCharacteristics;
    const extra = allowedChars ? characteristics.filter((c) => typeof c === "string" && c !== UNKNOWN && !allowedChars.includes(c)) : [];
    if (extra.length) {
      add({
        property: `rules[${i}].ratelimit.characteristics`,
        given: printable(characteristics, false),
        allowed: allowedChars!.join(", "),
        source: cloudflarePlans.sources.rateLimits,
        message: `counts by ${extra.join(", ")}, which needs Enterprise with Advanced Rate Limiting`,
      });
    }
    const fields = limits.rateLimitExpressionFields;
    if (fields && typeof expression === "string") {
      const outside = expressionFields(expression).filter((f) => !fields.includes(f));
      if (outside.length) {
        add({
          property: `rules[${i}].expression`,
          given: printable(expression, false),
          allowed: `only the fields ${fields.join(", ")}`,
          source: cloudflarePlans.sources.rateLimits,
          message: `a rate-limit rule matches on ${outside.join(", ")}`,
        });
      }
    }
  });
}

/** A DNS record's comment, tags and settings against what the zone's plan allows (cloudflare-plans.json, DNS rows). */
function checkRecord(r: Resource, tier: Tier, add: AddFinding): void {
  const limits = tierLimits(tier);
  const comment = plain(r.props.comment);
  if (typeof comment === "string" && comment !== UNKNOWN && [...comment].length > limits.recordCommentLength) {
    add({
      property: "comment",
      given: `${[...comment].length} characters`,
      allowed: `at most ${limits.recordCommentLength} characters`,
      source: cloudflarePlans.sources.recordComments,
      message: "is longer than a DNS record comment may be",
    });
  }
  const tags: unknown[] = (plain(r.props.tags) ?? []).map(plain);
  if (tags.length > limits.recordTags) {
    add({
      property: "tags",
      given: `${tags.length} tags`,
      allowed: limits.recordTags === 0 ? "no tags (record tags need a paid plan)" : `at most ${limits.recordTags} tags`,
      source: cloudflarePlans.sources.recordTags,
      message: limits.recordTags === 0 ? "tags a DNS record: record tags are not offered" : "carries more tags than a DNS record may have",
    });
  }
  const { nameLength, valueLength } = cloudflarePlans.recordTagLimits;
  tags.forEach((tag, i) => {
    if (typeof tag !== "string" || tag === UNKNOWN) return;
    const [name, ...rest] = tag.split(":");
    const value = rest.join(":");
    if (name.length <= nameLength && value.length <= valueLength) return;
    add({
      property: `tags[${i}]`,
      given: printable(tag, false),
      allowed: `a name of at most ${nameLength} characters, a value of at most ${valueLength}`,
      source: cloudflarePlans.sources.recordTags,
      message: "is a longer record tag than Cloudflare accepts",
    });
  });
  if (plain(plain(r.props.settings)?.flattenCname) === true && !limits.cnameFlatteningPerRecord) {
    add({
      property: "settings.flattenCname",
      given: "true",
      allowed: "no per-record CNAME flattening (a paid plan sets it per record)",
      source: cloudflarePlans.sources.cnameFlattening,
      message: "sets per-record CNAME flattening, which is not offered",
    });
  }
}

/** The zone's record quota: the stack's records alone must leave room in it (records it does not declare count too). */
function checkRecordCount(records: readonly Resource[], tier: Tier): ConformanceFinding[] {
  const limits = tierLimits(tier);
  if (records.length <= limits.recordsPerZone) return [];
  const r = records[limits.recordsPerZone];
  return [
    {
      check: "plan-limit",
      urn: r.urn,
      type: r.type,
      name: r.name,
      given: `${records.length} records in the zone`,
      allowed: `at most ${limits.recordsPerZone} records per zone, counting the ones this stack does not declare`,
      source: cloudflarePlans.sources.recordsPerZone,
      message: `declares more DNS records than a zone holds on the ${limits.label} plan`,
    },
  ];
}
