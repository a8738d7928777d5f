/**
 * npm run plan [-- --stack prod|staging] [--json] [--no-policy]
 *
 * Evaluates the real program (index.ts) offline under the Pulumi SDK's mocks,
 * prints every resource it would declare, then runs the policy pack over them.
 * Exits 1 on a config error or a mandatory policy violation, 2 on bad usage.
 */
import * as fs from "fs";
import { planStack } from "../lib/offline/plan";
import { planJson, renderPlan } from "../lib/offline/render";

interface Args {
  stack: string;
  json: boolean;
  policy: boolean;
  /** A policy config file, the same JSON that `pulumi preview --policy-pack-config` takes. */
  policyConfig?: string;
  stackTraces: boolean;
}

const USAGE = "usage: npm run plan -- [--stack <name>] [--json] [--no-policy] [--policy-config <file.json>] [--stack-traces]";

function parseArgs(argv: string[]): Args {
  const args: Args = { stack: "prod", json: false, policy: true, stackTraces: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--stack" || a === "-s") args.stack = argv[++i] ?? "";
    else if (a.startsWith("--stack=")) args.stack = a.slice("--stack=".length);
    else if (a === "--json") args.json = true;
    else if (a === "--no-policy") args.policy = false;
    else if (a === "--stack-traces") args.stackTraces = true;
    else if (a === "--policy-config") args.policyConfig = argv[++i] ?? "";
    else if (a === "--help" || a === "-h") {
      console.log(USAGE);
      process.exit(0);
    } else {
      console.error(`unknown argument "${a}"\n${USAGE}`);
      process.exit(2);
    }
  }
  if (!/^[A-Za-z0-9_.-]+$/.test(args.stack)) {
    console.error(`--stack needs a stack name\n${USAGE}`);
    process.exit(2);
  }
  return args;
}

function readPolicyConfig(file: string): Record<string, any> {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (err) {
    throw new Error(`--policy-config ${file}: ${(err as Error).message}`);
  }
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  const plan = await planStack(args.stack, { stackTraces: args.stackTraces });
  let verdicts: import("../policies/offline").PolicyVerdict[] = [];
  let failed = false;
  if (args.policy) {
    const { evaluatePolicies, hasMandatoryViolation } = await import("../policies/offline");
    verdicts = await evaluatePolicies(plan.resources, { config: args.policyConfig ? readPolicyConfig(args.policyConfig) : {} });
    failed = hasMandatoryViolation(verdicts);
  }
  if (args.json) {
    console.log(planJson(plan, args.policy ? { policy: { verdicts, passed: !failed } } : {}));
  } else {
    console.log(renderPlan(plan));
    if (args.policy) {
      const { formatVerdicts } = await import("../policies/offline");
      console.log(formatVerdicts(verdicts));
      console.log(failed ? "\nPolicy verdict: FAILED (a mandatory policy is violated; `pulumi up` would be refused)." : "\nPolicy verdict: passed (no mandatory violation).");
    }
  }
  return failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err: Error) => {
    // Config errors carry their full list of problems in the message.
    console.error(`error: ${err.message}`);
    if (process.argv.includes("--stack-traces") && err.stack) console.error(err.stack);
    process.exit(1);
  },
);
