/**
 * npm run adopt -- --stack prod [--dry-run] [--finish]
 * Reads the zone the stack file names (the zone, DNS records, the entrypoint rulesets and zone
 * settings the stack manages) with a read-only token from CLOUDFLARE_API_TOKEN, prints the
 * adoption audit, and writes zone.existingRecords / zone.existingRulesets into Pulumi.<stack>.yaml
 * (comments and order kept) with the live values phase one declares. `--finish` ends phase one
 * after its `pulumi up`: each entry keeps only its id (lib/adopt/phases.ts). Nothing in Cloudflare changes.
 */
import * as fs from "fs";
import * as path from "path";
import { parseArgs as parseCliArgs } from "node:util";
import { planAdoption } from "../../lib/adopt/match";
import { renderAdoption } from "../../lib/adopt/report";
import { missingStackMessage, ROOT, stackFilePath } from "../offline/stack-files";
import { READ_PERMISSIONS, readZone } from "../adopt/cloudflare";
import { withAdoption, type AdoptedEntry } from "../adopt/stack-file";
import { stackPlan } from "../adopt/site-plan";
import { adoptionOf, managedPhases, type SitePlan } from "../../lib/site-plan";

export const HELP = `Usage: npm run adopt -- --stack NAME [--dry-run] [--finish]

Adopts an existing Cloudflare zone without clobbering it, in two phases. Reads, with the
read-only token in CLOUDFLARE_API_TOKEN, the zone in Pulumi.NAME.yaml (its name and plan),
every DNS record, the entrypoint rulesets of the phases the stack manages and the zone
settings it manages; prints what the zone holds today and what pulumi up would adopt,
create, change or could not do; then writes zone.existingRecords and zone.existingRulesets
into the stack file (its comments and order kept), each with the live values it holds.

Phase one: pulumi up imports each adopted record and ruleset as it is (the stack declares
the live values). Phase two: npm run adopt -- --stack NAME --finish (no token needed) drops
the live values, and the next pulumi up updates each one in place to the bar.
Nothing in Cloudflare changes. With conflicts, nothing is written.

Options:
  --stack NAME     the stack file to adopt into (Pulumi.NAME.yaml), e.g. prod
  --dry-run        print the stack file change instead of writing it
  --finish         end phase one (after its pulumi up has imported): keep only each id
  --timeout MS     per API request (default 15000)
  --page-size N    DNS records per API page (default 100, at most 5000)
  --max-wait S     the longest Retry-After (seconds) a rate limit may make adopt wait (default 20)
  --dir DIR        where the stack file is (default: the repository root, where your stack files live)
  --api-url URL    Cloudflare API base (default https://api.cloudflare.com/client/v4)
  -h, --help       show this help

The token needs, for the zone: ${[...new Set(Object.values(READ_PERMISSIONS))].join(", ")}.
Exit codes: 0 adopted (or printed), 1 conflicts, a config or API error, 2 bad usage.
`;

export interface AdoptArgs {
  stack?: string;
  dryRun: boolean;
  finish: boolean;
  timeoutMs?: number;
  dir: string;
  apiUrl?: string;
  pageSize?: number;
  maxWaitSeconds?: number;
  help: boolean;
}

export function parseArgs(argv: readonly string[]): AdoptArgs {
  const { values } = parseCliArgs({
    args: [...argv],
    allowPositionals: false,
    strict: true,
    options: {
      stack: { type: "string" },
      "dry-run": { type: "boolean" },
      finish: { type: "boolean" },
      timeout: { type: "string" },
      dir: { type: "string" },
      "api-url": { type: "string" },
      "page-size": { type: "string" },
      "max-wait": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  const args: AdoptArgs = {
    stack: values.stack,
    dryRun: values["dry-run"] ?? false,
    finish: values.finish ?? false,
    dir: values.dir ?? ROOT,
    apiUrl: values["api-url"],
    help: values.help ?? false,
  };
  if (args.help) return args;
  if (!args.stack) throw new Error("--stack is required, e.g. --stack prod");
  if (values.timeout !== undefined) {
    const ms = Number(values.timeout);
    if (!Number.isInteger(ms) || ms < 100) throw new Error(`--timeout must be a number of milliseconds (at least 100), got "${values.timeout}"`);
    args.timeoutMs = ms;
  }
  if (values["page-size"] !== undefined) {
    const n = Number(values["page-size"]);
    if (!Number.isInteger(n) || n < 5 || n > 5000) throw new Error(`--page-size must be a whole number from 5 to 5000, got "${values["page-size"]}"`);
    args.pageSize = n;
  }
  if (values["max-wait"] !== undefined) {
    const s = Number(values["max-wait"]);
    if (!Number.isFinite(s) || s < 0 || s > 300) throw new Error(`--max-wait must be a number of seconds from 0 to 300, got "${values["max-wait"]}"`);
    args.maxWaitSeconds = s;
  }
  return args;
}

/** The lines of `after` that `before` does not have, in order: what --dry-run shows. */
function addedLines(before: string, after: string): string[] {
  const old = new Map<string, number>();
  for (const l of before.split("\n")) old.set(l, (old.get(l) ?? 0) + 1);
  const out: string[] = [];
  for (const l of after.split("\n")) {
    const n = old.get(l) ?? 0;
    if (n > 0) old.set(l, n - 1);
    else out.push(l);
  }
  return out;
}

export async function main(
  argv: readonly string[],
  out: NodeJS.WritableStream = process.stdout,
  err: NodeJS.WritableStream = process.stderr,
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  let args: AdoptArgs;
  try {
    args = parseArgs(argv);
  } catch (e) {
    err.write(`adopt: ${(e as Error).message}\n\n${HELP}`);
    return 2;
  }
  if (args.help) {
    out.write(HELP);
    return 0;
  }
  const stack = args.stack!;
  const file = stackFilePath(stack, args.dir);
  const token = env.CLOUDFLARE_API_TOKEN;
  if (!token && !args.finish) {
    err.write(`adopt: set CLOUDFLARE_API_TOKEN to a read-only token for the zone (${[...new Set(Object.values(READ_PERMISSIONS))].join(", ")})\n`);
    return 1;
  }
  try {
    if (!fs.existsSync(file)) throw new Error(missingStackMessage(stack, args.dir));
    const text = fs.readFileSync(file, "utf8");
    const { plan, project } = stackPlan(stack, args.dir);
    const write = (next: string, done: string): number => {
      if (args.dryRun) {
        const added = addedLines(text, next);
        out.write(`\n--dry-run: ${path.basename(file)} would gain ${added.length} line(s):\n${added.map((l) => `+ ${l}`).join("\n")}\n`);
        return 0;
      }
      fs.writeFileSync(file, next);
      out.write(done);
      return 0;
    };
    if (args.finish) return finish(plan, project, text, stack, write, out);
    const manages = plan.config.zone.manageZoneSettings;
    const live = await readZone({
      token: token!,
      zoneId: plan.config.zone.id,
      phases: manages ? managedPhases(plan) : [],
      settingIds: manages ? [...plan.edge.securitySettings, ...plan.edge.performanceSettings].map((s) => s.settingId) : [],
      baseURL: args.apiUrl,
      timeoutMs: args.timeoutMs,
      pageSize: args.pageSize,
      maxRetryAfterSeconds: args.maxWaitSeconds,
    });
    const adoption = planAdoption(plan, live);
    out.write(renderAdoption(adoption, { project, zone: plan.config.zone.name, stack, rulesets: plan.edge.rulesets }));
    if (adoption.conflicts.length) {
      err.write(`adopt: nothing written to ${path.basename(file)}: fix the ${adoption.conflicts.length} conflict(s) above, then run adopt again.\n`);
      return 1;
    }
    // An entry phase one already imported (its id alone in the stack file) stays as it is.
    const { existingRecords, existingRulesets } = plan.config.zone;
    const entry = (done: { id: string; live?: unknown } | undefined, id: string, liveValue: unknown): AdoptedEntry =>
      done && done.id === id && !done.live ? id : { id, live: liveValue };
    const next = withAdoption(
      text,
      {
        records: Object.fromEntries(adoption.records.map((r) => [r.key, entry(existingRecords[r.key], r.id, r.live)])),
        rulesets: Object.fromEntries(adoption.rulesets.map((r) => [r.phase, entry(existingRulesets[r.phase], r.id, r.live)])),
      },
      project,
    );
    return write(
      next,
      `\nWrote ${adoption.records.length} record(s) and ${adoption.rulesets.length} ruleset(s) to ${path.basename(file)}, with their live values (phase one).\n` +
        `Next: npm run plan -- --stack ${stack} (each import is declared as it is live), pulumi preview --stack ${stack} --diff (= import, no change to them), pulumi up --stack ${stack};\n` +
        `then npm run adopt -- --stack ${stack} --finish, and pulumi preview/up again for phase two (the bar's values, updated in place).\n`,
    );
  } catch (e) {
    // A config error lists every problem; an API error says which permission or what to do. No stack traces.
    err.write(`adopt: ${(e as Error).message}\n`);
    return 1;
  }
}

/** Phase two: every `{ id, live }` entry becomes its id; says what the next `pulumi up` changes on each. */
function finish(
  plan: SitePlan,
  project: string,
  text: string,
  stack: string,
  write: (next: string, done: string) => number,
  out: NodeJS.WritableStream,
): number {
  const entries = adoptionOf(plan);
  const pending = entries.filter((e) => e.phase === "import");
  if (!pending.length) {
    out.write(`Nothing to finish: no entry of zone.existingRecords or zone.existingRulesets in Pulumi.${stack}.yaml still carries live values.\n`);
    return 0;
  }
  out.write(
    `Phase two for stack "${stack}": run this only after phase one's pulumi up has imported these ${pending.length} resource(s). The next pulumi up changes, in place:\n`,
  );
  for (const e of pending) out.write(`  ${e.name}: ${e.changes.join("; ") || "nothing (it already meets the bar)"}\n`);
  const { existingRecords, existingRulesets } = plan.config.zone;
  const next = withAdoption(
    text,
    {
      records: Object.fromEntries(Object.entries(existingRecords).map(([k, a]) => [k, a.id])),
      rulesets: Object.fromEntries(Object.entries(existingRulesets).map(([k, a]) => [k, a.id])),
    },
    project,
    { replace: true },
  );
  return write(
    next,
    `\nWrote Pulumi.${stack}.yaml: phase one is over. Next: npm run plan -- --stack ${stack}, then pulumi preview --stack ${stack} --diff and pulumi up.\n`,
  );
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
