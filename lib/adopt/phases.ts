/**
 * Adoption in two phases. Phase one declares every adopted record and entrypoint ruleset
 * exactly as the zone holds it (the live values `npm run adopt` recorded in the stack file), so
 * `pulumi up` only imports: nothing in Cloudflare changes, and a Pulumi CLI older than 3.174,
 * which fails an import whose inputs differ from the live resource, accepts it too
 * (lib/provider-facts/engine.json importMismatch). Phase two, after `npm run adopt -- --finish`
 * dropped the live values, declares the bar's values: an ordinary in-place update.
 * Pure: the components, adopt, the plan and conformance all call it.
 */
import { z } from "zod";
import type { RecordSpec } from "../dns/records";
import type { RuleSpec } from "../edge/rules";
import { caaText, comparableContent, parseCaaText } from "../../policies/shared/dns-text";
import type { LiveRecord, LiveRuleset } from "./live";
import { factsFor } from "../provider-facts";
import { RESOURCE_TYPES } from "../../policies/shared/resource-types";

/** A DNS record's inputs as the program declares them (the fields the provider compares on import). */
export const recordInputsSchema = z
  .object({
    type: z.string().min(1),
    content: z.string().optional(),
    data: z.object({ flags: z.number().int(), tag: z.string(), value: z.string() }).strict().optional(),
    ttl: z.number().int(),
    proxied: z.boolean(),
    priority: z.number().int().optional(),
    comment: z.string().optional(),
    tags: z.array(z.string()).optional(),
    /** Per-record settings switched on in the zone (paid plans): flattenCname, ipv4Only, ipv6Only. */
    settings: z.object({ flattenCname: z.boolean(), ipv4Only: z.boolean(), ipv6Only: z.boolean() }).partial().strict().optional(),
  })
  .strict();
export type RecordInputs = z.infer<typeof recordInputsSchema>;

/** A ruleset rule as the SDK declares it (camelCase); the API's computed fields (id, version, last_updated, categories) left out. */
export const ruleInputsSchema = z
  .object({
    ref: z.string().optional(),
    description: z.string().optional(),
    expression: z.string(),
    action: z.string(),
    actionParameters: z.record(z.string(), z.unknown()).optional(),
    ratelimit: z.record(z.string(), z.unknown()).optional(),
    logging: z.record(z.string(), z.unknown()).optional(),
    exposedCredentialCheck: z.record(z.string(), z.unknown()).optional(),
    enabled: z.boolean(),
  })
  .strict();
export const rulesetInputsSchema = z.object({ name: z.string(), description: z.string().optional(), rules: z.array(ruleInputsSchema) }).strict();
export type RulesetInputs = z.infer<typeof rulesetInputsSchema>;

/** An adopted resource: its id, and while phase one lasts, what the zone held when adopt read it. */
export interface Adopted<Live> {
  id: string;
  live?: Live;
}
export type AdoptedRecord = Adopted<RecordInputs>;
export type AdoptedRuleset = Adopted<RulesetInputs>;

/** Which phase an adopted resource is in: "import" (declared as live, imports only), "adopted" (imported earlier, declares the bar). */
export const phaseOf = (a: Adopted<unknown>): "import" | "adopted" => (a.live ? "import" : "adopted");

/** The inputs the program declares for a planned record that nothing was adopted for, or once phase one is over. */
export function plannedRecordInputs(spec: RecordSpec): RecordInputs {
  return {
    type: spec.type,
    // CAA takes its parts in `data`, which Cloudflare refuses beside `content` (lib/provider-facts/cloudflare.json).
    ...(spec.data ? { data: { ...spec.data } } : { content: spec.content }),
    ttl: spec.ttl,
    proxied: spec.proxied,
    ...(spec.priority !== undefined ? { priority: spec.priority } : {}),
    comment: spec.comment,
  };
}

/** A record as Cloudflare's API serves it, in the form the program declares it. */
export function liveRecordInputs(r: LiveRecord): RecordInputs {
  const type = r.type.toUpperCase();
  const data = type === "CAA" ? caaParts(r) : undefined;
  return {
    type,
    ...(data ? { data } : { content: r.content ?? "" }),
    ttl: r.ttl ?? 1,
    proxied: r.proxied ?? false,
    ...(r.priority !== undefined && type === "MX" ? { priority: r.priority } : {}),
    ...(r.comment ? { comment: r.comment } : {}),
    ...(r.tags?.length ? { tags: [...r.tags] } : {}),
    ...liveSettings(r),
  };
}

/** The per-record settings the zone has switched on (the API lists them false or null otherwise). */
function liveSettings(r: LiveRecord): Pick<RecordInputs, "settings"> {
  const on = {
    ...(r.settings?.flatten_cname ? { flattenCname: true } : {}),
    ...(r.settings?.ipv4_only ? { ipv4Only: true } : {}),
    ...(r.settings?.ipv6_only ? { ipv6Only: true } : {}),
  };
  return Object.keys(on).length ? { settings: on } : {};
}

function caaParts(r: LiveRecord): RecordInputs["data"] {
  if (r.data?.tag) return { flags: Number(r.data.flags ?? 0), tag: r.data.tag, value: r.data.value ?? "" };
  const parts = parseCaaText(r.content ?? "");
  return parts ? { flags: parts.flags, tag: parts.tag, value: parts.value } : undefined;
}

/** What the program declares for a planned record: the live values in phase one, the plan's otherwise. */
export function declaredRecordInputs(spec: RecordSpec, adopted?: AdoptedRecord): RecordInputs {
  return adopted?.live ?? plannedRecordInputs(spec);
}

const contentOf = (i: RecordInputs) => (i.data ? caaText({ flags: i.data.flags, tag: i.data.tag as "issue", value: i.data.value }) : (i.content ?? ""));
const shown = (v: string | undefined) => (v === undefined || v === "" ? "(none)" : JSON.stringify(v));

/**
 * What changes when a record declared as `from` is declared as `to`, one entry per field the
 * provider compares: what phase two changes on a record phase one imported.
 */
export function recordChanges(from: RecordInputs, to: RecordInputs): string[] {
  const changes: string[] = [];
  if (from.type !== to.type) changes.push(`type ${from.type} -> ${to.type}`);
  if (comparableContent(from.type, from.content, { data: from.data }) !== comparableContent(to.type, to.content, { data: to.data }))
    changes.push(`content ${contentOf(from)} -> ${contentOf(to)}`);
  if ((from.priority ?? null) !== (to.priority ?? null)) changes.push(`priority ${from.priority ?? "(none)"} -> ${to.priority ?? "(none)"}`);
  if (from.proxied !== to.proxied) changes.push(to.proxied ? "proxied through Cloudflare" : "DNS only");
  if (from.ttl !== to.ttl) changes.push(`ttl ${ttlText(from.ttl)} -> ${ttlText(to.ttl)}`);
  if ((from.comment ?? "") !== (to.comment ?? "")) changes.push(`comment ${shown(from.comment)} -> ${shown(to.comment)}`);
  if (from.settings && !to.settings)
    changes.push(`settings ${Object.keys(from.settings).join(", ")} not declared by the stack (Cloudflare keeps or resets them: check after pulumi up)`);
  if ((from.tags ?? []).join(",") !== (to.tags ?? []).join(","))
    changes.push(`tags ${(from.tags ?? []).join(", ") || "(none)"} -> ${(to.tags ?? []).join(", ") || "(none)"}`);
  return changes;
}

const ttlText = (ttl: number) => (ttl === 1 ? "auto" : `${ttl}s`);

const RULESET_API_NAMES = factsFor(RESOURCE_TYPES.ruleset)?.apiNames ?? { renames: {}, keptMapKeys: [], source: "" };

/**
 * The API's snake_case keys as the SDK names them: camelCase, except the list fields the
 * bridge names in the plural (lists, statusCodeTtls...), and the keys of maps keyed by data
 * (header names, ruleset ids), kept as written (cloudflare.json Ruleset apiNames).
 */
function sdkKeys(value: unknown, parentKey = ""): unknown {
  if (Array.isArray(value)) return value.map((v) => sdkKeys(v, parentKey));
  if (typeof value !== "object" || value === null) return value;
  const { renames, keptMapKeys } = RULESET_API_NAMES;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => {
      const key = keptMapKeys.includes(parentKey)
        ? k
        : (renames[`${parentKey}.${k}`] ?? renames[k] ?? k.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase()));
      return [key, sdkKeys(v, k)];
    }),
  );
}

/** An entrypoint ruleset as the API serves it, in the form the program declares it. */
export function liveRulesetInputs(r: LiveRuleset): RulesetInputs {
  return {
    name: r.name ?? "default",
    ...(r.description ? { description: r.description } : {}),
    rules: r.rules.map((x) => ({
      ...(x.ref ? { ref: x.ref } : {}),
      ...(x.description ? { description: x.description } : {}),
      expression: x.expression ?? "true",
      action: x.action ?? "",
      ...(x.action_parameters ? { actionParameters: sdkKeys(x.action_parameters) as Record<string, unknown> } : {}),
      ...(x.ratelimit ? { ratelimit: sdkKeys(x.ratelimit) as Record<string, unknown> } : {}),
      ...(x.logging ? { logging: sdkKeys(x.logging) as Record<string, unknown> } : {}),
      ...(x.exposed_credential_check ? { exposedCredentialCheck: sdkKeys(x.exposed_credential_check) as Record<string, unknown> } : {}),
      enabled: x.enabled !== false,
    })),
  };
}

/** A value as JSON with object keys sorted and undefined members left out: equal values, equal text, whatever order the API lists keys in. */
export function canonicalJson(v: unknown): string {
  const sorted = (o: Record<string, unknown>) =>
    Object.fromEntries(
      Object.keys(o)
        .filter((k) => o[k] !== undefined)
        .sort()
        .map((k) => [k, o[k]]),
    );
  return JSON.stringify(v, (_k, x) => (x && typeof x === "object" && !Array.isArray(x) ? sorted(x) : x)) ?? "(none)";
}

function sameRule(a: z.infer<typeof ruleInputsSchema>, b: RuleSpec): boolean {
  const pick = (r: Record<string, unknown>) =>
    canonicalJson([r.description ?? "", r.expression, r.action, r.actionParameters ?? null, r.ratelimit ?? null, r.enabled !== false]);
  return pick(a) === pick(b as unknown as Record<string, unknown>);
}

/** What phase two changes on an adopted entrypoint: its description and rules (its name is kept: it forces a replacement; its description is the stack's). */
export function rulesetChanges(from: RulesetInputs, rules: readonly RuleSpec[]): string[] {
  const changes: string[] = [];
  const mine = new Set(rules.map((r) => r.ref));
  const replaced = from.rules.filter((r) => !r.ref || !mine.has(r.ref));
  if (replaced.length)
    changes.push(
      `${replaced.length} rule(s) made elsewhere removed (${replaced.map((r) => JSON.stringify(r.description ?? r.ref ?? r.expression)).join(", ")})`,
    );
  const before = new Map(from.rules.map((r) => [r.ref, r]));
  const added = rules.filter((r) => !before.has(r.ref));
  if (added.length) changes.push(`${added.length} rule(s) of the stack added`);
  const updated = rules.filter((r) => before.has(r.ref) && !sameRule(before.get(r.ref)!, r));
  if (updated.length) changes.push(`${updated.length} rule(s) updated to the stack's (${updated.map((r) => r.ref).join(", ")})`);
  return changes;
}
