/**
 * The offline job as data: the program under the SDK's mocks, the conformance stage, the
 * policy pack's real analyzer and (with a state export) the diff against the deployed stack.
 * `npm run plan` prints it; `npm run report` ranks it. Nothing here prints.
 */
import * as fs from "fs";
import * as path from "path";
import type { ConformanceResult } from "../../lib/conformance";
import type { Tier } from "../../lib/provider-facts/tiers";
import type { PolicyConfigInput, PolicyVerdict } from "../policy/config";
import { REPO } from "../repo";
import type { OfflinePlan } from "./plan";
import type { StateDiff } from "./state-diff";

export interface OfflineRunOptions {
  stack: string;
  dir?: string;
  program?: string;
  /** The tier of zones the config does not describe (--zone-plan). */
  tier?: Tier;
  /** Judge with the policy pack (default true). */
  policy?: boolean;
  policyConfigFile?: string;
  /** A `pulumi stack export` file to diff against. */
  state?: string;
  allowDelete?: readonly string[];
  stackTraces?: boolean;
  /** The stack file's content instead of reading Pulumi.<stack>.yaml (tests). */
  stackFile?: { config?: Record<string, unknown> };
}

export interface OfflineRun {
  plan: OfflinePlan;
  conformance: ConformanceResult;
  /** Empty when the policy pack did not run. */
  verdicts: PolicyVerdict[];
  policyRan: boolean;
  /** A mandatory policy is violated: `pulumi up` would be refused. */
  policyFailed: boolean;
  stateDiff?: StateDiff;
}

/** Starts the pack's analyzer server with the stack's config, as the CLI would, without waiting for it. */
async function startAnalyzer(stack: string, program: string | undefined, dir: string | undefined, stackFile: OfflineRunOptions["stackFile"]) {
  const { launchAnalyzer, PACK_DIR, packInstalledProblem, stopLaunched } = await import("../policy/launch");
  const missing = packInstalledProblem(PACK_DIR);
  if (missing) throw new Error(missing);
  const { stackConfigFor } = await import("./stack-config");
  const { project, config } = stackConfigFor(stack, { program, dir, stackFile });
  const starting = launchAnalyzer({ packDir: PACK_DIR, stack, project, stackConfig: config });
  starting.catch(() => undefined); // reported when awaited
  // Wrapped: awaiting startAnalyzer must not wait for the server.
  return { starting, stop: () => void starting.then(stopLaunched, () => undefined) };
}

function readPolicyConfig(file: string): PolicyConfigInput {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (err) {
    throw new Error(`--policy-config ${file}: ${(err as Error).message}`, { cause: err });
  }
}

/** Runs the whole offline job for one stack. Throws the program's config error (with its problems) as the plan does. */
export async function runOffline(options: OfflineRunOptions): Promise<OfflineRun> {
  const program = options.program ? path.resolve(options.program) : undefined;
  const policy = options.policy ?? true;
  const { stack, dir } = options;
  // A state file that is not an export, or a policy config that is not JSON, stops the run before anything starts.
  const deployed = options.state ? (await import("./state-diff")).readStateFile(options.state) : undefined;
  const policyConfig = policy && options.policyConfigFile ? readPolicyConfig(options.policyConfigFile) : {};
  // The analyzer server starts (about 0.8 s) while the program is evaluated.
  const analyzer = policy ? await startAnalyzer(stack, program, dir, options.stackFile) : undefined;
  try {
    return await planAndJudge(options, { program, policyConfig, deployed }, analyzer?.starting);
  } catch (err) {
    // Handed back or stopped on every failure; when judging itself threw, it already closed it, and a second hand-back is a no-op.
    analyzer?.stop();
    throw err;
  }
}

/** The plan, its conformance, the diff against the deployed state and, with a server, the pack's verdicts. */
async function planAndJudge(
  options: OfflineRunOptions,
  read: { program?: string; policyConfig: PolicyConfigInput; deployed?: ReturnType<typeof import("./state-diff").readStateFile> },
  analyzer: Promise<import("../policy/launch").LaunchedAnalyzer> | undefined,
): Promise<OfflineRun> {
  const { program, policyConfig, deployed } = read;
  const policy = analyzer !== undefined;
  const { stack, dir } = options;
  const stateDiffs = options.state ? await import("./state-diff") : undefined;
  const { planStack } = await import("./plan");
  const { conformanceOf } = await import("../conformance/run");
  const plan: OfflinePlan = await planStack(stack, { stackTraces: options.stackTraces, program, dir, stackFile: options.stackFile });
  const conformance = conformanceOf({
    resources: plan.resources,
    config: plan.config,
    project: plan.project,
    programDir: program ? path.dirname(program) : REPO,
    tier: options.tier,
  });
  const stateDiff = options.state && deployed ? stateDiffs!.stateDiffOf(plan, options.state, deployed, options.allowDelete ?? []) : undefined;
  let verdicts: PolicyVerdict[] = [];
  let policyFailed = false;
  if (policy) {
    const { judgeWithAnalyzer, PACK_DIR } = await import("../policy/analyzer");
    const { hasMandatoryViolation } = await import("../policy/offline");
    verdicts = await judgeWithAnalyzer(
      plan.resources,
      {
        packDir: PACK_DIR,
        stack: plan.stack,
        project: plan.project,
        stackConfig: plan.config,
        policyConfig,
      },
      analyzer,
    );
    policyFailed = hasMandatoryViolation(verdicts);
  }
  return { plan, conformance, verdicts, policyRan: policy, policyFailed, stateDiff };
}

/** The program's ConfigError (reached through the pulumi.RunError it became) with its problems, if that is what stopped the run. */
export function configProblemsOf(err: unknown): Array<{ key: string; message: string }> | undefined {
  for (let e = err as (Error & { issues?: unknown }) | undefined; e; e = e.cause as typeof e) {
    if (e.name === "ConfigError" && Array.isArray(e.issues))
      return (e.issues as Array<{ key: string; message: string }>).map(({ key, message }) => ({ key, message }));
  }
  return undefined;
}
