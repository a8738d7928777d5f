/**
 * Adoption, as plain data: which records, rulesets and settings a zone already holds map to
 * the plan's keys (and become imports), what `pulumi up` would change or could not do, and
 * what stays untouched. Pure: tests call it with a plan and a zone.
 */
import type { SitePlan } from "../site-plan";
import { allRecords, managedPhases } from "../site-plan";
import type { RecordSpec } from "../dns/records";
import { comparableContent, unquoteTxt } from "../../policies/shared/dns-text";
import { secretValueKind, withArticle } from "../../policies/shared/secret-detect";
import type { LiveRecord, LiveZone } from "./live";
import { liveRecordInputs, liveRulesetInputs, plannedRecordInputs, recordChanges, type RecordInputs, type RulesetInputs } from "./phases";

export interface RecordAdoption {
  key: string;
  id: string;
  fqdn: string;
  type: string;
  /** The record as the zone holds it, in the form the program declares it: what phase one imports. */
  live: RecordInputs;
  /** What phase two changes on the adopted record; empty when it already matches. */
  changes: string[];
}

export interface Conflict {
  fqdn: string;
  /** What is in the zone and what the plan wants there. */
  problem: string;
  /** What to do before `pulumi up`. */
  fix: string;
}

export interface RulesetAdoption {
  phase: string;
  id: string;
  name?: string;
  /** The entrypoint as the zone holds it, in the form the program declares it: what phase one imports. */
  live: RulesetInputs;
  /** The rules the entrypoint holds today, each replaced by the stack's own on `pulumi up` unless carried over. */
  existingRules: Array<{ description: string; expression: string; action: string; actionParameters?: Record<string, unknown>; enabled: boolean }>;
}

export interface Adoption {
  records: RecordAdoption[];
  /** Planned records nothing in the zone matches: `pulumi up` creates them. */
  creates: Array<{ key: string; fqdn: string; type: string; content: string }>;
  conflicts: Conflict[];
  /** Records the stack does not declare: left alone (offered as zone.extraRecords). */
  untouched: LiveRecord[];
  rulesets: RulesetAdoption[];
  /** Zone settings whose value differs from the bar: `pulumi up` sets the bar's value. */
  settings: Array<{ id: string; live: unknown; planned: unknown }>;
}

const norm = (s: string) => s.toLowerCase().replace(/\.$/, "");

/** What kind of TXT a value is, so an SPF only ever stands in for an SPF. */
function txtKind(text: string): string {
  const m = /^v=(spf1|DMARC1|TLSRPTv1|DKIM1)\b/i.exec(text.trim());
  return m ? m[1].toLowerCase() : "other";
}

const WEB_TYPES = new Set(["A", "AAAA", "CNAME"]);

/** The zone the API answered for against the one the stack file names: another zone, or another plan, is a conflict. */
function zoneConflicts(plan: SitePlan, live: LiveZone): Conflict[] {
  const d = live.details;
  if (!d) return [];
  const { zone } = plan.config;
  const out: Conflict[] = [];
  if (norm(d.name) !== norm(zone.name)) {
    out.push({
      fqdn: zone.name,
      problem: `zone.id ${zone.id} is the zone ${d.name}, not ${zone.name}`,
      fix: `set zone.id to the id of ${zone.name} (Cloudflare dashboard > ${zone.name} > Overview > API), or zone.name to ${d.name}`,
    });
  }
  const apiPlan = d.plan?.legacy_id;
  if (apiPlan && apiPlan !== zone.plan) {
    out.push({
      fqdn: zone.name,
      problem: `the zone's API reports the ${d.plan?.name ?? apiPlan} plan (plan.legacy_id "${apiPlan}") but zone.plan says "${zone.plan}": the plan decides how many rules and which features Cloudflare accepts`,
      fix: `set zone.plan: ${apiPlan} in the stack file, or change the zone's plan in the Cloudflare dashboard first`,
    });
  }
  return out;
}

/** The live records by name, which of them a planned record has claimed, and the conflicts found so far. */
interface MatchState {
  byName: Map<string, LiveRecord[]>;
  used: Set<string>;
  conflicts: Conflict[];
}

/** A planned record that cannot be matched because something in the zone is in its way (the conflict says what). */
const BLOCKED = "blocked";

export function planAdoption(plan: SitePlan, live: LiveZone): Adoption {
  const planned = allRecords(plan);
  const byName = new Map<string, LiveRecord[]>();
  for (const r of live.records) byName.set(norm(r.name), [...(byName.get(norm(r.name)) ?? []), r]);
  const st: MatchState = { byName, used: new Set<string>(), conflicts: zoneConflicts(plan, live) };
  const records: RecordAdoption[] = [];
  const creates: Adoption["creates"] = [];

  const exact = exactMatches(planned, st);
  for (const p of planned) {
    const hit = matchPlanned(p, exact.get(p), st);
    if (hit === BLOCKED) continue;
    if (!hit) {
      creates.push({ key: p.key, fqdn: p.fqdn, type: p.type, content: p.content });
      continue;
    }
    st.used.add(hit.id);
    const liveInputs = liveRecordInputs(hit);
    records.push({ key: p.key, id: hit.id, fqdn: p.fqdn, type: p.type, live: liveInputs, changes: recordChanges(liveInputs, plannedRecordInputs(p)) });
  }
  secondTxtConflicts(planned, st);
  strayMxConflicts(planned, st);
  const untouched = live.records.filter((r) => !st.used.has(r.id) && !["NS", "SOA"].includes(r.type.toUpperCase()));
  const rulesets = rulesetAdoptions(plan, live, st.conflicts);
  const settings = [...plan.edge.securitySettings, ...plan.edge.performanceSettings]
    .filter((s) => s.settingId in live.settings && !sameValue(live.settings[s.settingId], s.value))
    .map((s) => ({ id: s.settingId, live: live.settings[s.settingId], planned: s.value }));
  return { records, creates, conflicts: st.conflicts, untouched, rulesets, settings };
}

/** Exact matches first, so a near match never takes a record another planned record is identical to. */
function exactMatches(planned: readonly RecordSpec[], st: MatchState): Map<RecordSpec, LiveRecord> {
  const exact = new Map<RecordSpec, LiveRecord>();
  for (const p of planned) {
    const hit = (st.byName.get(norm(p.fqdn)) ?? []).find(
      (l) =>
        !st.used.has(l.id) &&
        l.type.toUpperCase() === p.type &&
        comparableContent(p.type, l.content, { data: l.data }) === comparableContent(p.type, p.content, { data: p.data }) &&
        (p.type !== "MX" || l.priority === p.priority),
    );
    if (hit) {
      exact.set(p, hit);
      st.used.add(hit.id);
    }
  }
  return exact;
}

/** The live record a planned one adopts (its exact match, or a near one to update), none (create it), or BLOCKED. */
function matchPlanned(p: RecordSpec, exactHit: LiveRecord | undefined, st: MatchState): LiveRecord | undefined | typeof BLOCKED {
  const here = (st.byName.get(norm(p.fqdn)) ?? []).filter((l) => !st.used.has(l.id) || exactHit === l);
  let hit = exactHit;
  if (!hit) {
    const near = nearMatch(p, here, st);
    if (near === BLOCKED) return BLOCKED;
    hit = near;
  }
  if (p.type === "CNAME" || hit?.type.toUpperCase() === "CNAME") {
    // A CNAME owns its name: everything else there is in the way.
    for (const b of here.filter((l) => l !== hit && !st.used.has(l.id))) {
      st.conflicts.push({
        fqdn: p.fqdn,
        problem: `holds ${b.type} ${b.content ?? ""} where the plan wants a CNAME: a CNAME cannot share its name`,
        fix: `delete the ${b.type} record (id ${b.id}) or move what it does to another name`,
      });
      st.used.add(b.id);
    }
  } else if (!hit) {
    const cname = here.find((l) => l.type.toUpperCase() === "CNAME" && !st.used.has(l.id));
    if (cname) {
      st.conflicts.push({
        fqdn: p.fqdn,
        problem: `holds a CNAME (${cname.content}) where the plan wants ${p.type} ${p.content}: a CNAME cannot share its name`,
        fix: `delete the CNAME (id ${cname.id}) or leave this name out of the stack`,
      });
      st.used.add(cname.id);
      return BLOCKED;
    }
  }
  return hit;
}

/** A live record of the planned one's type that it updates in place: the host's web record, the TXT of its kind, the iodef CAA. */
function nearMatch(p: RecordSpec, here: readonly LiveRecord[], st: MatchState): LiveRecord | undefined | typeof BLOCKED {
  const sameType = here.filter((l) => l.type.toUpperCase() === p.type && !st.used.has(l.id));
  if (WEB_TYPES.has(p.type) && p.purpose !== "extra") {
    // One web record per host: whatever address record the name holds is the one to update.
    const hit = sameType[0];
    const other = here.find((l) => WEB_TYPES.has(l.type.toUpperCase()) && l.type.toUpperCase() !== p.type && !st.used.has(l.id));
    if (!hit && other) {
      st.conflicts.push({
        fqdn: p.fqdn,
        problem: `holds ${other.type} ${other.content} where the plan wants ${p.type} ${p.content}: the type cannot change in place, and Cloudflare refuses a ${p.type} beside it`,
        fix: `delete the ${other.type} record (id ${other.id}) in the Cloudflare dashboard right before pulumi up, or set the host's target to match it`,
      });
      st.used.add(other.id);
      return BLOCKED;
    }
    return hit;
  }
  if (p.type === "TXT") {
    const kind = txtKind(unquoteTxt(p.content));
    // The first of its kind is updated in place; any other is a conflict (secondTxtConflicts).
    return kind !== "other" ? sameType.find((l) => txtKind(unquoteTxt(l.content ?? "")) === kind) : undefined;
  }
  if (p.type === "CAA" && p.data?.tag === "iodef") {
    return sameType.find((l) => comparableContent("CAA", l.content, { data: l.data }).includes(" iodef "));
  }
  return undefined;
}

/** A second SPF, DMARC, TLS-RPT or DKIM key at a name where the stack declares one: receivers treat two as an error. */
function secondTxtConflicts(planned: readonly RecordSpec[], st: MatchState): void {
  for (const p of planned.filter((x) => x.type === "TXT")) {
    const kind = txtKind(unquoteTxt(p.content));
    if (kind === "other") continue;
    for (const l of (st.byName.get(norm(p.fqdn)) ?? []).filter(
      (x) => x.type.toUpperCase() === "TXT" && !st.used.has(x.id) && txtKind(unquoteTxt(x.content ?? "")) === kind,
    )) {
      st.conflicts.push({
        fqdn: p.fqdn,
        problem: `holds a second ${kind.toUpperCase()} record (${l.content}): receivers treat two as an error`,
        fix: `delete the record with id ${l.id}; the stack's ${kind.toUpperCase()} is the one that stays`,
      });
      st.used.add(l.id);
    }
  }
}

/** An MX the stack does not declare, at a name whose mail it manages, would keep receiving mail beside the planned ones. */
function strayMxConflicts(planned: readonly RecordSpec[], st: MatchState): void {
  for (const name of new Set(planned.filter((p) => p.type === "MX").map((p) => norm(p.fqdn)))) {
    for (const l of (st.byName.get(name) ?? []).filter((x) => x.type.toUpperCase() === "MX" && !st.used.has(x.id))) {
      const silent = planned.some((p) => norm(p.fqdn) === name && p.type === "MX" && p.content === ".");
      st.conflicts.push({
        fqdn: name,
        problem: silent
          ? `receives mail at ${l.content} (priority ${l.priority}) but the plan says this name accepts none (null MX)`
          : `has an MX to ${l.content} (priority ${l.priority}) the plan does not declare: mail would be split between it and the planned servers`,
        fix: silent ? `add it to email.mx (apex) or delete it (id ${l.id})` : `add it to email.mx, or delete it (id ${l.id}) once mail has moved`,
      });
      st.used.add(l.id);
    }
  }
}

/** The entrypoints of the phases the stack manages that the zone already has; a rule holding a credential is a conflict and is not shown. */
function rulesetAdoptions(plan: SitePlan, live: LiveZone, conflicts: Conflict[]): RulesetAdoption[] {
  return managedPhases(plan)
    .filter((phase) => live.rulesets[phase])
    .map((phase) => {
      const r = live.rulesets[phase];
      const existingRules = r.rules.map((x) => {
        const description = x.description ?? x.ref ?? "(no description)";
        const credential = credentialIn(x);
        if (credential) {
          conflicts.push({
            fqdn: plan.config.zone.name,
            problem: `the ${phase} rule "${description}" holds what looks like ${withArticle(credential)}: adopt would write it into the stack file, which is committed`,
            fix: "rotate it, then replace the rule in the Cloudflare dashboard with one that holds no secret (or delete it), and run adopt again",
          });
        }
        return {
          description,
          expression: credential ? "[not shown: it holds what looks like a credential]" : (x.expression ?? "true"),
          action: x.action ?? "?",
          ...(x.action_parameters && !credential ? { actionParameters: x.action_parameters } : {}),
          enabled: x.enabled !== false,
        };
      });
      return { phase, id: r.id, name: r.name, live: liveRulesetInputs(r), existingRules };
    });
}

/** What kind of credential a live rule's expression literals or action parameters hold, if any (never the value). */
function credentialIn(rule: LiveZone["rulesets"][string]["rules"][number]): string | undefined {
  const literals = [...(rule.expression ?? "").matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => m[1]);
  const strings: string[] = [];
  const walk = (v: unknown) => {
    if (typeof v === "string") strings.push(v);
    else if (v && typeof v === "object") Object.values(v).forEach(walk);
  };
  walk(rule.action_parameters);
  for (const value of [...literals, ...strings]) {
    const kind = secretValueKind(value)?.kind;
    if (kind) return kind;
  }
  return undefined;
}

/** Setting values compared as Cloudflare returns them: objects by their keys, snake_case as the API uses. */
function sameValue(live: unknown, planned: unknown): boolean {
  if (typeof planned !== "object" || planned === null) return live === planned;
  if (typeof live !== "object" || live === null) return false;
  return Object.entries(planned).every(([k, v]) => sameValue((live as Record<string, unknown>)[k], v));
}
