/**
 * The launch report's contract (`npm run report -- --json`): one vocabulary for every finding,
 * whatever found it, and the checklist of steps only a person can do.
 */
import { z } from "zod";

export const SEVERITIES = ["blocker", "trust", "cleanup"] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Who does the fix: `pulumi up` of this stack (after a stack-file edit), the founder in a dashboard or app, or the registrar. */
export const FIXERS = ["stack", "founder", "registrar"] as const;
export type Fixer = (typeof FIXERS)[number];

/** Where a finding came from. */
export const FINDING_SOURCES = ["config", "conformance", "policy", "state", "secrets", "checklist", "owners", "verify", "adopt"] as const;

export const findingSchema = z.object({
  severity: z.enum(SEVERITIES),
  /** What is wrong, in one line. */
  title: z.string(),
  /** What breaks for the business if it is not fixed. */
  impact: z.string(),
  fix: z.string(),
  who: z.enum(FIXERS),
  source: z.enum(FINDING_SOURCES),
  /** The policy, config key, resource or verify row it is about. */
  ref: z.string(),
});
export type Finding = z.infer<typeof findingSchema>;

export const CHECK_STATES = ["done", "todo", "unknown"] as const;
export type CheckState = (typeof CHECK_STATES)[number];

export const checklistItemSchema = z.object({
  /** Stable id, e.g. "secret:launch-ready:openaiApiKeyProduction", "dnssec-ds". */
  id: z.string(),
  step: z.string(),
  who: z.enum(FIXERS),
  /** done/todo where it can be checked (offline: secrets; live: what verify saw), unknown otherwise. */
  state: z.enum(CHECK_STATES),
  /** How to do it, or how to tell it is done. */
  how: z.string(),
  /** Launch cannot happen until it is done (a todo blocker is a launch blocker). */
  blocker: z.boolean(),
});
export type ChecklistItem = z.infer<typeof checklistItemSchema>;

/** A system the launch depends on, the config key that names its owner (owners.cloudflare, owners.mail.<sender>), and the owner. */
export const ownerRowSchema = z.object({ system: z.string(), key: z.string(), owner: z.string().nullable() });
export type OwnerRow = z.infer<typeof ownerRowSchema>;

export const launchReportSchema = z.object({
  stack: z.string().nullable(),
  domain: z.string(),
  environment: z.enum(["production", "staging"]).nullable(),
  /** The day the report was made (YYYY-MM-DD). */
  date: z.string(),
  decision: z.enum(["GO", "NO-GO"]),
  /** The decision and why, in one line. */
  headline: z.string(),
  /** With GO and trust issues: the date by which they are to be fixed. */
  trustDeadline: z.string().nullable(),
  /** Whether verify's live checks were included. */
  live: z.boolean(),
  counts: z.object({ blocker: z.number(), trust: z.number(), cleanup: z.number() }),
  findings: z.array(findingSchema),
  checklist: z.array(checklistItemSchema),
  owners: z.array(ownerRowSchema),
  monthlyCostUsd: z.number().nullable(),
});
export type LaunchReport = z.infer<typeof launchReportSchema>;
