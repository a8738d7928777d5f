/**
 * The launch report: every finding the project has (config, conformance, policy verdicts, the
 * state guard, unset secrets, owners, verify's live rows) in one vocabulary, ranked, with the
 * checklist and a GO / NO-GO decided by one rule (README, "The launch report"):
 *   any launch blocker is NO-GO; otherwise GO, with the trust issues to fix by a date.
 */
import type { DomainMap } from "../domain-map";
import { senderEntry } from "../../policies/shared/senders";
import { launchChecklist, type LiveRow } from "./checklist";
import { POLICY_IMPACT, VERIFY_CATEGORY_IMPACT, VERIFY_ROW_OWNER } from "./impact";
import { SEVERITIES, type Finding, type LaunchReport, type OwnerRow, type Severity } from "./types";

export type { LiveRow } from "./checklist";
export * from "./types";

/** Trust issues allow GO; they are to be fixed within this many days of the report. */
export const TRUST_FIX_DAYS = 14;

/** The parts of a policy verdict the report reads (tools/policy's PolicyVerdict). */
export interface VerdictInput {
  policyName: string;
  description: string;
  enforcementLevel: string;
  status: string;
  violations: Array<{ message: string; resourceName?: string; urn?: string }>;
  errors: string[];
  /** The policy's remediationSteps (the verdict does not carry them). */
  remediation?: string;
}

export interface ReportInput {
  stack: string | null;
  /** The domain: the map's zone, or --domain's. */
  domain: string;
  /** Absent when the stack does not plan (configProblems says why) or with --domain. */
  map?: DomainMap;
  configProblems?: ReadonlyArray<{ key: string; message: string }>;
  conformance?: ReadonlyArray<{ name: string; message: string; property?: string }>;
  verdicts?: readonly VerdictInput[];
  /** False when the policy pack could not run (not installed): the bar was then not checked. */
  policyRan?: boolean;
  /** The state guard's findings (npm run plan -- --state). */
  guard?: ReadonlyArray<{ key: string; change: string; why: string }>;
  unsetSecrets?: readonly string[];
  encryptedSecrets?: readonly string[];
  live?: readonly LiveRow[];
  /** adopt's audit of the live zone (with a token): what must be fixed before `pulumi up`. */
  adoptConflicts?: ReadonlyArray<{ fqdn: string; problem: string; fix: string }>;
  now: Date;
}

const day = (d: Date) => d.toISOString().slice(0, 10);

function configFindings(input: ReportInput): Finding[] {
  return (input.configProblems ?? []).map((p) => ({
    severity: "blocker",
    title: `config ${p.key}: ${p.message}`,
    impact: "the stack does not plan, so nothing can be deployed",
    fix: `edit ${p.key} in Pulumi.${input.stack}.yaml as the message says, then npm run plan`,
    who: "stack",
    source: "config",
    ref: p.key,
  }));
}

function policyFindings(verdicts: readonly VerdictInput[]): Finding[] {
  const out: Finding[] = [];
  for (const v of verdicts) {
    if (v.status !== "violation" || v.enforcementLevel === "disabled") continue;
    const row = POLICY_IMPACT[v.policyName];
    const severity: Severity = v.enforcementLevel === "mandatory" ? "blocker" : (row?.advisory ?? "trust");
    // Every policy of the pack has remediationSteps; a verdict without them (a policy from elsewhere) points at the policy.
    const fix = v.remediation ?? `see the remediation steps of policy ${v.policyName} in the policy pack`;
    const messages = v.errors.length ? v.errors.map((e) => `the policy failed to run: ${e}`) : v.violations.map((x) => x.message);
    for (const message of messages.length ? messages : [v.description])
      out.push({
        severity,
        title: message,
        impact: row?.impact ?? "below the minimum bar",
        fix,
        who: "stack",
        source: "policy",
        ref: v.policyName,
      });
  }
  return out;
}

function liveFindings(rows: readonly LiveRow[]): Finding[] {
  return rows
    .filter((r) => r.status !== "pass")
    .map((r) => ({
      severity: r.status === "fail" ? "blocker" : "trust",
      title: `${r.target}: ${r.detail.split(" Fix: ")[0]}`,
      impact: VERIFY_CATEGORY_IMPACT[r.category] ?? "the live product differs from the bar",
      fix: r.fix ?? r.detail.split(" Fix: ")[1] ?? "see npm run verify",
      who: VERIFY_ROW_OWNER.find((o) => r.id.startsWith(o.prefix))?.who ?? (/pulumi up/.test(r.fix ?? r.detail) ? "stack" : "founder"),
      source: "verify",
      ref: r.id,
    }));
}

/** The systems the stack uses, who owns each and the config key that names them; the registrar and Cloudflare always, the rest as declared. */
export function ownerRows(map: DomainMap): OwnerRow[] {
  const o = map.owners ?? {};
  const row = (system: string, key: string, owner: string | undefined): OwnerRow => ({ system, key: `owners.${key}`, owner: owner ?? null });
  const rows: OwnerRow[] = [
    row("domain registrar", "registrar", o.registrar),
    row("Cloudflare", "cloudflare", o.cloudflare),
    row("Vercel", "vercel", o.vercel),
  ];
  if (map.monitors.length || map.alerts.emails.length || map.alerts.slack || map.alerts.webhooks) rows.push(row("AWS", "aws", o.aws));
  for (const s of map.email.senders)
    rows.push(row(`${senderEntry(s.kind)?.name ?? s.kind} (sender "${s.name}")`, `mail.${s.name}`, typeof o.mail === "string" ? o.mail : o.mail?.[s.name]));
  rows.push(row("on call", "onCall", o.onCall), row("escalation", "escalation", o.escalation));
  return rows;
}

function ownerFindings(rows: readonly OwnerRow[], stack: string | null): Finding[] {
  const missing = rows.filter((r) => r.owner === null);
  if (!missing.length) return [];
  return [
    {
      severity: "trust",
      title: `nobody is named for ${missing.map((r) => r.system).join(", ")}`,
      impact: "when one breaks or its password is lost, nobody knows who can log in and fix it",
      fix: `name a person and how to reach them for each in Pulumi.${stack ?? "<stack>"}.yaml: ${missing.map((r) => r.key).join(", ")}`,
      who: "founder",
      source: "owners",
      ref: missing.map((r) => r.key).join(","),
    },
  ];
}

const SOURCE_RANK = ["config", "conformance", "state", "adopt", "secrets", "policy", "verify", "checklist", "owners"];

/** Blockers first, then trust issues, then cleanup; within one, in the order above (what stops `pulumi up` first). */
function rank(findings: Finding[]): Finding[] {
  return findings
    .map((f, i) => ({ f, i }))
    .sort(
      (a, b) =>
        SEVERITIES.indexOf(a.f.severity) - SEVERITIES.indexOf(b.f.severity) || SOURCE_RANK.indexOf(a.f.source) - SOURCE_RANK.indexOf(b.f.source) || a.i - b.i,
    )
    .map(({ f }) => f);
}

export function buildReport(input: ReportInput): LaunchReport {
  const { map } = input;
  const owners = map ? ownerRows(map) : [];
  const findings: Finding[] = [
    ...configFindings(input),
    ...conformanceFindings(input.conformance ?? []),
    ...guardFindings(input.guard ?? []),
    ...secretFindings(input.unsetSecrets ?? []),
    ...policyFindings(input.verdicts ?? []),
    ...(input.policyRan === false ? [policyPackNotRun()] : []),
    ...originLockFindings(map),
    ...(input.live ? liveFindings(input.live) : []),
    ...adoptFindings(input.adoptConflicts ?? []),
    // A checklist step undone is already a finding: verify's row that saw it (live), or the unset secrets.
    ...(map?.environment === "production" ? ownerFindings(owners, input.stack) : []),
  ];
  const checklist = map
    ? launchChecklist({
        map,
        stack: input.stack ?? "",
        unsetSecrets: input.unsetSecrets ?? [],
        encryptedSecrets: input.encryptedSecrets ?? [],
        live: input.live,
      })
    : [];
  const ranked = rank(findings);
  const counts = { blocker: 0, trust: 0, cleanup: 0 };
  for (const f of ranked) counts[f.severity]++;
  const decision = counts.blocker ? "NO-GO" : "GO";
  const deadline = new Date(input.now.getTime() + TRUST_FIX_DAYS * 86_400_000);
  return {
    stack: input.stack,
    domain: input.domain,
    environment: map?.environment ?? null,
    date: day(input.now),
    decision,
    headline: headlineOf(counts, deadline, checklist.filter((c) => c.state === "unknown" && c.blocker).length),
    trustDeadline: decision === "GO" && counts.trust ? day(deadline) : null,
    live: input.live !== undefined,
    counts,
    findings: ranked,
    checklist,
    owners,
    monthlyCostUsd: map?.monthlyCost?.totalUsd ?? null,
  };
}

/** NO-GO with the blockers' count, or GO with the trust issues' date and the manual steps still to confirm. */
function headlineOf(counts: LaunchReport["counts"], deadline: Date, unknownSteps: number): string {
  if (counts.blocker) return `NO-GO: ${counts.blocker} launch blocker(s) to fix first`;
  return (
    `GO: no launch blocker` +
    (counts.trust ? `; ${counts.trust} trust issue(s) to fix by ${day(deadline)}` : "") +
    (unknownSteps ? `; confirm the ${unknownSteps} manual step(s) marked "?" before launch` : "")
  );
}

function conformanceFindings(conformance: NonNullable<ReportInput["conformance"]>): Finding[] {
  return conformance.map((c) => ({
    severity: "blocker",
    title: `${c.name}: ${c.message}`,
    impact: "`pulumi up` fails at the provider partway through, leaving the launch half-applied",
    fix: "change the stack file (or program) so the value is one the provider accepts, then npm run plan",
    who: "stack",
    source: "conformance",
    ref: c.property ? `${c.name}.${c.property}` : c.name,
  }));
}

/** The state guard's findings: a change that would delete or replace what is deployed. */
function guardFindings(guard: NonNullable<ReportInput["guard"]>): Finding[] {
  return guard.map((g) => ({
    severity: "blocker",
    title: `the change would ${g.change} ${g.key}`,
    impact: g.why,
    fix: `restore the config that declared it, or, having read why, npm run plan -- --state FILE --allow-delete ${g.key}`,
    who: "stack",
    source: "state",
    ref: g.key,
  }));
}

function secretFindings(unsetSecrets: readonly string[]): Finding[] {
  if (!unsetSecrets.length) return [];
  return [
    {
      severity: "blocker",
      title: `${unsetSecrets.length} secret(s) not set: ${unsetSecrets.join(", ")}`,
      impact: "`pulumi up` stops before it changes anything; the app would run without its keys",
      fix: "set each one as the checklist says (pulumi config set --secret, which prompts for the value)",
      who: "founder",
      source: "secrets",
      ref: "unsetSecrets",
    },
  ];
}

/** The pack not installed: nothing judged the bar. A fresh object per report, as every other finding is. */
const policyPackNotRun = (): Finding => ({
  severity: "trust",
  title: "the policy pack did not run, so the minimum bar was not checked",
  impact: "a stack below the bar could ship without anyone seeing it",
  fix: "install the pack (npm ci builds it), then run the report again",
  who: "founder",
  source: "policy",
  ref: "policy-pack",
});

/** A production stack with the origin lock turned off: the walk-around is a trust issue. */
function originLockFindings(map: DomainMap | undefined): Finding[] {
  const bypass = map?.edge.originLock?.bypass;
  if (!bypass || map?.environment !== "production") return [];
  return [
    {
      severity: "trust",
      title: `the origin lock is off: ${bypass}`,
      impact: "bots can reach the app through its *.vercel.app address, past every WAF rule, rate limit and bot check, and run up its AI bill",
      fix: "turn the origin lock on (remove edge.originLock: false from the stack file), then pulumi up",
      who: "stack",
      source: "config",
      ref: "edge.originLock",
    },
  ];
}

/** adopt's audit of the live zone: what the zone holds that `pulumi up` would fail on or overwrite. */
function adoptFindings(conflicts: NonNullable<ReportInput["adoptConflicts"]>): Finding[] {
  return conflicts.map((c) => ({
    severity: "blocker",
    title: `${c.fqdn}: ${c.problem}`,
    impact: "`pulumi up` would fail on what the zone already holds, or overwrite it",
    fix: c.fix,
    who: "founder",
    source: "adopt",
    ref: c.fqdn,
  }));
}
