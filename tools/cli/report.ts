/**
 * npm run report -- --stack NAME [--dir DIR] [--live] [--json] [--out FILE] [--state FILE]
 * npm run report -- --domain DOMAIN            (a zone with no stack: verify's discovery alone)
 *
 * The launch report: one GO / NO-GO from everything the project knows (the offline plan, its
 * conformance, the policy verdicts, the state guard, unset secrets, owners) and, with --live,
 * verify's checks of the deployed product; ranked findings in one vocabulary, the checklist of
 * manual steps, the owners. Exit 0 on GO, 1 on NO-GO, 2 on bad usage.
 */
import * as fs from "fs";
import { parseArgs } from "node:util";
import { buildReport, type LiveRow, type ReportInput } from "../../lib/report";
import { renderReport } from "../../lib/report/render";
import { domainMapMermaid, mermaidBlock } from "../../lib/diagram/mermaid";
import { allPolicies } from "../../policies/rules";
import { chooseStack, StackChoiceError } from "../offline/stack-files";
import { configProblemsOf, runOffline, type OfflineRun } from "../offline/run";
import type { VerifyOptions } from "../verify/types";
import { UsageError } from "../usage-error";
import { processIo, type CliIo } from "../cli-io";

export const USAGE = `usage: npm run report -- (--stack NAME [--dir DIR] | --domain DOMAIN) [options]

The launch report: GO or NO-GO, the findings ranked (launch blocker, trust issue, cleanup) with
what breaks for the business, the fix and who does it, the checklist of manual steps and who
owns what. Offline by default (the plan, conformance, policy verdicts); --live adds verify.

  --stack NAME          the stack file Pulumi.NAME.yaml (at the root, or in --dir)
  --dir DIR             where the stack files are (the example: --dir examples/acmechat)
  --domain DOMAIN       no stack: verify --domain's discovery and checks (always live)
  --live                also run verify against the live product (after pulumi up), and with
                        CLOUDFLARE_API_TOKEN set, adopt's audit of the zone (what conflicts)
  --state FILE          a pulumi stack export: a guarded delete or replace is a blocker
  --allow-delete NAME   with --state: allow this guarded change (repeatable)
  --api-url URL         with --live and CLOUDFLARE_API_TOKEN (read-only): adopt's audit of the
                        live zone reads this Cloudflare API base (default the real one)
  --json                the report as JSON (the same rows)
  --out FILE            write the Markdown report to FILE instead of stdout
  --date YYYY-MM-DD     the report's date (default today): the trust issues' deadline counts from it
  --dns-server ADDR     with --live: verify's DNS server (repeatable; see npm run verify -- --help)
  --timeout MS          with --live: verify's bound per query and request
  --deadline SECONDS    with --live: verify's bound for the whole run
  --help, -h            this text

Exit codes: 0 GO, 1 NO-GO, 2 bad usage.`;

export interface ReportIo extends CliIo {
  /** Verify options the tests add (the lab's servers); the CLI's flags come first. */
  verifyOptions?: Partial<VerifyOptions>;
  /** Where CLOUDFLARE_API_TOKEN is read (default process.env). */
  env?: NodeJS.ProcessEnv;
}

const defaultIo: ReportIo = { ...processIo, env: process.env };

function readArgs(argv: string[]) {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      allowPositionals: false,
      strict: true,
      options: {
        stack: { type: "string", short: "s" },
        dir: { type: "string" },
        domain: { type: "string" },
        live: { type: "boolean", default: false },
        state: { type: "string" },
        "allow-delete": { type: "string", multiple: true, default: [] },
        json: { type: "boolean", default: false },
        "api-url": { type: "string" },
        out: { type: "string" },
        date: { type: "string" },
        "dns-server": { type: "string", multiple: true, default: [] },
        timeout: { type: "string" },
        deadline: { type: "string" },
        help: { type: "boolean", short: "h", default: false },
      },
    }));
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if (values.domain !== undefined && (values.stack !== undefined || values.dir !== undefined || values.state !== undefined))
    throw new UsageError("--domain is for a zone with no stack: leave out --stack, --dir and --state");
  if (values["allow-delete"].length && values.state === undefined) throw new UsageError("--allow-delete needs --state");
  let now = new Date();
  if (values.date !== undefined) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(values.date) || Number.isNaN(Date.parse(values.date)))
      throw new UsageError(`--date must be YYYY-MM-DD (got "${values.date}")`);
    now = new Date(`${values.date}T12:00:00Z`);
  }
  return { ...values, now };
}

/** verify's own parser reads the passthrough flags, so they mean what they mean in npm run verify. */
async function verifyOptionsOf(args: ReturnType<typeof readArgs>, domain: string, io: ReportIo): Promise<VerifyOptions> {
  const { parseCli } = await import("../verify/cli");
  const argv = ["--domain", domain, ...args["dns-server"].flatMap((s) => ["--dns-server", s])];
  if (args.timeout) argv.push("--timeout", args.timeout);
  if (args.deadline) argv.push("--deadline", args.deadline);
  let parsed;
  try {
    parsed = parseCli(argv);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  return { ...parsed.options, ...io.verifyOptions };
}

const toLive = (checks: ReadonlyArray<LiveRow>): LiveRow[] =>
  checks.map(({ id, category, target, status, detail, fix }) => ({ id, category, target, status, detail, fix }));

/** Each policy's remediation, which the verdicts do not carry: the report's fix column. */
const REMEDIATION = new Map(allPolicies.map((p) => [p.name, (p as { remediationSteps?: string }).remediationSteps]));

async function reportInput(args: ReturnType<typeof readArgs>, io: ReportIo): Promise<ReportInput> {
  if (args.domain !== undefined) {
    const { verifyDomain } = await import("../verify/discover");
    const live = await verifyDomain(args.domain, await verifyOptionsOf(args, args.domain, io));
    return { stack: null, domain: args.domain, live: toLive(live.checks), now: args.now };
  }
  const { stack, dir, note } = chooseStack({ stack: args.stack, dir: args.dir });
  if (note) io.err(note);
  let run;
  try {
    run = await runOffline({ stack, dir, state: args.state, allowDelete: args["allow-delete"] });
  } catch (err) {
    const configProblems = configProblemsOf(err);
    if (!configProblems) throw err;
    return { stack, domain: (await zoneNameOf(stack, dir)) ?? `stack ${stack}`, configProblems, now: args.now };
  }
  let live: LiveRow[] | undefined;
  let adoptConflicts: ReportInput["adoptConflicts"];
  if (args.live) {
    const { runVerification } = await import("../verify/runner");
    const map = run.plan.domainMap;
    live = toLive((await runVerification(map, await verifyOptionsOf(args, map.zone.name, io))).checks);
    const token = io.env?.CLOUDFLARE_API_TOKEN;
    if (token) adoptConflicts = await auditZone(stack, dir, token, args["api-url"]);
    else io.err("report: CLOUDFLARE_API_TOKEN is not set: the live zone's audit (what conflicts with the stack) is left out");
  }
  return { ...reportInputOf(run, { live, now: args.now }), adoptConflicts };
}

/** adopt's audit: the live zone read with a read-only token, matched against the stack's plan. */
async function auditZone(stack: string, dir: string, token: string, baseURL: string | undefined) {
  const { stackPlan } = await import("../adopt/site-plan");
  const { readZone } = await import("../adopt/cloudflare");
  const { planAdoption } = await import("../../lib/adopt/match");
  const { managedPhases } = await import("../../lib/site-plan");
  const { plan } = stackPlan(stack, dir);
  const manages = plan.config.zone.manageZoneSettings;
  const live = await readZone({
    token,
    zoneId: plan.config.zone.id,
    phases: manages ? managedPhases(plan) : [],
    settingIds: manages ? [...plan.edge.securitySettings, ...plan.edge.performanceSettings].map((s) => s.settingId) : [],
    baseURL,
  });
  return planAdoption(plan, live).conflicts;
}

/** The zone the stack file names, when the rest of it does not plan. */
async function zoneNameOf(stack: string, dir: string | undefined): Promise<string | undefined> {
  try {
    const { stackConfigFor } = await import("../offline/stack-config");
    const { project, config } = stackConfigFor(stack, { dir });
    const name = JSON.parse(config[`${project}:zone`] ?? "{}").name;
    return typeof name === "string" ? name : undefined;
  } catch {
    return undefined;
  }
}

/** The report's input from an offline run (and verify's rows, when live). */
export function reportInputOf(run: OfflineRun, opts: { live?: readonly LiveRow[]; now: Date }): ReportInput {
  const map = run.plan.domainMap;
  return {
    stack: run.plan.stack,
    domain: map.zone.name,
    map,
    conformance: run.conformance.findings,
    verdicts: run.verdicts.map((v) => ({ ...v, remediation: REMEDIATION.get(v.policyName) })),
    policyRan: run.policyRan,
    guard: run.stateDiff?.findings,
    unsetSecrets: run.plan.unsetSecrets,
    encryptedSecrets: run.plan.encryptedSecrets,
    live: opts.live,
    now: opts.now,
  };
}

/** What points where, as the handover draws it (lib/diagram/mermaid.ts). */
function diagramSection(map: NonNullable<ReportInput["map"]>): string[] {
  return ["## Domain map", "", mermaidBlock(domainMapMermaid(map)), ""];
}

/** Runs the report; resolves to the exit code (0 GO, 1 NO-GO or a failure, 2 bad usage). */
export async function main(argv: readonly string[] = process.argv.slice(2), io: ReportIo = defaultIo): Promise<number> {
  let args;
  try {
    args = readArgs([...argv]);
  } catch (err) {
    io.err(`report: ${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (args.help) {
    io.out(USAGE);
    return 0;
  }
  let input;
  try {
    input = await reportInput(args, io);
  } catch (err) {
    if ((err instanceof StackChoiceError && err.usage) || err instanceof UsageError) {
      io.err(`report: ${(err as Error).message}\n\n${USAGE}`);
      return 2;
    }
    io.err(`report: ${(err as Error).message}`);
    return 1;
  }
  const report = buildReport(input);
  if (args.json) io.out(JSON.stringify(report, null, 2));
  else {
    const text = renderReport(report, input.map ? diagramSection(input.map) : []);
    if (args.out) {
      fs.writeFileSync(args.out, text);
      io.err(`wrote ${args.out}: ${report.headline}`);
    } else io.out(text);
  }
  return report.decision === "GO" ? 0 : 1;
}

if (require.main === module) {
  main().then((code) => {
    process.exitCode = code;
  });
}
