/**
 * npm run handover -- --stack prod [--dir D]  (offline plan of Pulumi.prod.yaml, at the root or in D)
 * npm run handover -- --outputs outputs.json  (pulumi stack output --json)
 * npm run handover -- --map domain-map.json   (a DomainMap JSON)
 * Options: --out FILE, --date YYYY-MM-DD, --help. Writes to stdout unless --out.
 * Everything comes from the domain map, including each secret's config key
 * (hosting.env[target][].configKey); no stack file is read besides the offline plan's.
 */
import * as fs from "fs";
import { parseArgs as parseCliArgs } from "node:util";
import type { DomainMap } from "../../lib/domain-map";
import { loadDomainMap, renderHandover, verdictOf, type LaunchVerdict } from "../../lib/handover";
import { readJsonFile } from "../domain-map-sources";
import { projectName } from "../offline/stack-config";

export const HELP = `Usage: npm run handover -- <source> [--out FILE] [--date YYYY-MM-DD]

Writes the launch handover (Markdown) for one stack. First the go/no-go verdict
(with --stack: the offline plan's conformance, policy pack and unset secrets; from a
map or outputs it is not judged) and the steps only a person can do; then a diagram
and table of what points where, email, env var names and the config key of each
secret (never values) with one rotation procedure, monitors and alert recipients,
redeploy and rollback, known limits; the full DNS records and the cost in an appendix.

Source (exactly one):
  --stack NAME       evaluate Pulumi.NAME.yaml offline (no credentials needed), e.g. prod, staging
                     (at the repository root; --dir DIR: in DIR, e.g. --dir examples/acmechat for the example)
  --outputs FILE     JSON from: pulumi stack output --json --stack NAME > FILE  (uses its domainMap)
  --map FILE         a domain map JSON (pulumi stack output domainMap --json --stack NAME > FILE)

Options:
  --out FILE         write the document to FILE (e.g. HANDOVER-prod.md) instead of stdout
  --date YYYY-MM-DD  print "Generated on <date>"; without it the output has no date, so it is reproducible
  -h, --help         show this help

Secret config key names come from the domain map. A map from an older deploy may
not name them: the document then shows <project>:CONFIG_KEY and says where to
look (the secret: names under hosting.env in Pulumi.<stack>.yaml).

Examples:
  npm run handover -- --stack prod --out HANDOVER-prod.md
  npm run handover -- --dir examples/acmechat --stack staging
`;

export interface HandoverArgs {
  stack?: string;
  dir?: string;
  outputs?: string;
  map?: string;
  out?: string;
  date?: string;
  help: boolean;
}

/** Parses argv (node:util parseArgs, as every tool here); throws a usage error naming what is wrong. */
export function parseArgs(argv: readonly string[]): HandoverArgs {
  const { values } = parseCliArgs({
    args: [...argv],
    allowPositionals: false,
    strict: true,
    options: {
      stack: { type: "string" },
      dir: { type: "string" },
      outputs: { type: "string" },
      map: { type: "string" },
      out: { type: "string" },
      date: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  const args: HandoverArgs = { ...values, help: values.help ?? false };
  for (const flag of ["stack", "dir", "outputs", "map", "out", "date"] as const) {
    if (args[flag] !== undefined && (args[flag] === "" || args[flag]!.startsWith("--"))) throw new Error(`--${flag} needs a value`);
  }
  if (args.help) return args;
  const sources = [args.stack, args.outputs, args.map].filter((s) => s !== undefined);
  if (sources.length !== 1) throw new Error("give exactly one of --stack, --outputs or --map");
  if (args.dir !== undefined && args.stack === undefined) throw new Error("--dir goes with --stack (the directory holding its stack file)");
  if (args.date !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(args.date)) throw new Error(`--date must be YYYY-MM-DD, got "${args.date}"`);
  return args;
}

/** The map of --outputs or --map (a --stack's comes with its verdict: planWithVerdict). */
export async function domainMapFor(args: HandoverArgs): Promise<DomainMap> {
  const [flag, file] = args.outputs !== undefined ? ["--outputs", args.outputs] : ["--map", args.map as string];
  return loadDomainMap(readJsonFile(file, flag), file);
}

/**
 * The map and the go/no-go verdict of a stack: the launch report's (npm run report), offline:
 * conformance, the policy pack through its real analyzer, unset secrets, owners.
 */
export async function planWithVerdict(stack: string, dir?: string, now = new Date()): Promise<{ map: DomainMap; verdict: LaunchVerdict }> {
  const { runOffline } = await import("../offline/run");
  const { packInstalledProblem, PACK_DIR } = await import("../policy/launch");
  const { reportInputOf } = await import("./report");
  const { buildReport } = await import("../../lib/report");
  // Without a built pack the verdict says the minimum bar was not checked, instead of the handover failing.
  const run = await runOffline({ stack, dir, policy: !packInstalledProblem(PACK_DIR) });
  const map = loadDomainMap(run.plan.domainMap, `the offline plan of stack ${stack}`);
  return { map, verdict: verdictOf(buildReport(reportInputOf(run, { now })), `the launch report of stack ${stack}`) };
}

/** Runs the CLI; returns the exit code (0 ok, 1 failed, 2 usage). */
export async function main(argv: readonly string[], out: NodeJS.WritableStream = process.stdout, err: NodeJS.WritableStream = process.stderr): Promise<number> {
  let args: HandoverArgs;
  try {
    args = parseArgs(argv);
  } catch (e) {
    err.write(`handover: ${(e as Error).message}\n\n${HELP}`);
    return 2;
  }
  if (args.help) {
    out.write(HELP);
    return 0;
  }
  try {
    const { map, verdict } = args.stack !== undefined ? await planWithVerdict(args.stack, args.dir) : { map: await domainMapFor(args), verdict: undefined };
    const doc = renderHandover(map, { project: projectName(), date: args.date, verdict });
    if (args.out) {
      fs.writeFileSync(args.out, doc);
      err.write(`handover: wrote ${args.out}\n`);
    } else {
      out.write(doc);
    }
    return 0;
  } catch (e) {
    err.write(`handover: ${(e as Error).message}\n`);
    return 1;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
