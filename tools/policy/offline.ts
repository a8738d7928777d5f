/**
 * In-process evaluation of the policy pack: the same rules, without a policy server.
 * `npm run plan` judges through the real analyzer (./analyzer.ts); this imitation stays for
 * the unit tests, where starting a server per case would cost seconds, and
 * test/policies/analyzer.test.ts proves both give identical verdicts on the shipped and
 * fixture stacks.
 *
 * Builds ResourceValidationArgs / StackValidationArgs the way the engine does
 * (@pulumi/policy server.js: analyze / analyzeStack) from the offline plan's
 * PlannedResource list, runs every policy, and returns one verdict per policy.
 * `npm run plan` prints formatVerdicts(...) and exits non-zero when
 * hasMandatoryViolation(...).
 *
 * Differences from the engine, on purpose: props are the declared inputs for stack
 * policies too (the engine passes outputs after an update); a policy that throws
 * is recorded as an error (the engine aborts the preview), and errors block like a
 * mandatory violation.
 */
import type {
  Policy,
  PolicyResource,
  PolicyResourceOptions,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationArgs,
  StackValidationPolicy,
} from "@pulumi/policy";
import type { PlannedResource } from "../../lib/planned/types";
import { unwrapSecrets } from "../../lib/planned/secrets";
import { allPolicies } from "../../policies/rules";
import { EnforcementLevel, PolicyConfigInput, PolicyVerdict, reconcilePolicyConfig } from "./config";
import { renderTable } from "../table";
import { secretScrubber } from "./scrub";

export { ALL_POLICIES, configDefaults } from "./config";
export type { PolicyConfigInput, PolicyStatus, PolicyVerdict, PolicyViolation } from "./config";

// proxy.js has no dependencies (unlike the package index, which loads @pulumi/pulumi).
const proxy: { unknownCheckingProxy<T>(o: T): T; UnknownValueError: new (...args: any[]) => Error } = require("@pulumi/policy/proxy");

export interface EvaluateOptions {
  config?: PolicyConfigInput;
  policies?: ReadonlyArray<ResourceValidationPolicy | StackValidationPolicy>;
  /** The pack's default level for policies that set none (the engine's default is advisory). */
  defaultEnforcementLevel?: EnforcementLevel;
  stackTags?: ReadonlyMap<string, string>;
}

class NotApplicable extends Error {
  constructor(public readonly reason?: string) {
    super(reason ?? "Policy does not apply");
  }
}

function isResourcePolicy(p: Policy): p is ResourceValidationPolicy {
  return typeof (p as ResourceValidationPolicy).validateResource === "function" || Array.isArray((p as ResourceValidationPolicy).validateResource);
}

function isStackPolicy(p: Policy): p is StackValidationPolicy {
  return typeof (p as StackValidationPolicy).validateStack === "function";
}

/** Checks policy config against the policies and their schemas, as the engine does before Configure; throws on a mistake. */
export function validatePolicyConfig(config: PolicyConfigInput, policies: ReadonlyArray<Policy>): void {
  reconcilePolicyConfig(policies.map(policyInfoOf), config);
}

function policyInfoOf(p: Policy): { name: string; enforcementLevel?: EnforcementLevel; configSchema?: Policy["configSchema"] } {
  return { name: p.name, enforcementLevel: p.enforcementLevel, configSchema: p.configSchema };
}

function optionsOf(r: PlannedResource): PolicyResourceOptions {
  return {
    protect: r.opts?.protect ?? false,
    ignoreChanges: [...(r.opts?.ignoreChanges ?? [])],
    deleteBeforeReplace: r.opts?.deleteBeforeReplace ?? false,
    aliases: [],
    customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
    additionalSecretOutputs: [],
    parent: r.parent,
  };
}

/** Mimics ResourceValidationArgs.isType: compares the class's __pulumiType with the resource's type. */
function isTypeOf(type: string, resourceClass: unknown): boolean {
  const t = (resourceClass as { __pulumiType?: string } | undefined)?.__pulumiType;
  return typeof t === "string" && t === type;
}

function notApplicable(reason?: string): never {
  throw new NotApplicable(reason);
}

/**
 * Runs every policy against the planned resources. Resource policies run once per
 * resource (in plan order), stack policies once; disabled policies are skipped and
 * reported as not applicable.
 */
export async function evaluatePolicies(resources: PlannedResource[], opts: EvaluateOptions = {}): Promise<PolicyVerdict[]> {
  const policies = opts.policies ?? allPolicies;
  const reconciled = reconcilePolicyConfig(policies.map(policyInfoOf), opts.config ?? {}, opts.defaultEnforcementLevel ?? "advisory");
  assertUniqueNames(policies);
  const byUrn = new Map(resources.map((r) => [r.urn, r]));
  const plan: PlanView = {
    resources,
    stackTags: opts.stackTags ?? new Map<string, string>(),
    scrub: secretScrubber(resources),
    nameOf: (urn) => (urn ? byUrn.get(urn)?.name : undefined),
    plainProps: new Map(resources.map((r) => [r.urn, unwrapSecrets(r.props) as Record<string, any>])),
  };
  const verdicts: PolicyVerdict[] = [];
  for (const p of policies) verdicts.push(await evaluatePolicy(p, reconciled[p.name], plan));
  return verdicts;
}

/** What every policy's run reads of the plan, computed once. */
interface PlanView {
  resources: PlannedResource[];
  stackTags: ReadonlyMap<string, string>;
  /** Takes secret values out of a message. */
  scrub: (text: string) => string;
  nameOf: (urn?: string) => string | undefined;
  /** Each resource's props with secrets unwrapped, by URN. */
  plainProps: Map<string, Record<string, any>>;
}

/** How one policy's run went: whether any validation applied, and why the others did not. */
interface RunOutcome {
  verdict: PolicyVerdict;
  applied: boolean;
  naReasons: Set<string>;
}

function assertUniqueNames(policies: ReadonlyArray<Policy>): void {
  const names = new Set<string>();
  for (const p of policies) {
    if (names.has(p.name)) throw new Error(`two policies are named ${p.name}`);
    names.add(p.name);
  }
}

/** One policy's verdict at its reconciled level and with its settings. */
async function evaluatePolicy(
  p: ResourceValidationPolicy | StackValidationPolicy,
  { enforcementLevel: level, properties: settings }: { enforcementLevel: EnforcementLevel; properties: unknown },
  plan: PlanView,
): Promise<PolicyVerdict> {
  const verdict: PolicyVerdict = {
    policyName: p.name,
    description: p.description,
    kind: isStackPolicy(p) ? "stack" : "resource",
    enforcementLevel: level,
    status: "not-applicable",
    violations: [],
    notes: [],
    errors: [],
  };
  if (level === "disabled") {
    verdict.notes.push("disabled by policy config");
    return verdict;
  }
  // As the engine reports a remediation policy's violation.
  if (level === "remediate") verdict.enforcementLevel = "mandatory";
  const getConfig = <T extends object>() => structuredClone(settings) as T;
  const run: RunOutcome = { verdict, applied: false, naReasons: new Set<string>() };
  if (isResourcePolicy(p) && p.validateResource) await runResourcePolicy(p.validateResource, plan, getConfig, run);
  else if (isStackPolicy(p)) await runStackPolicy(p, plan, getConfig, run);

  if (verdict.violations.length || verdict.errors.length) verdict.status = "violation";
  else if (run.applied) verdict.status = "pass";
  else {
    verdict.status = "not-applicable";
    verdict.notes.push(...[...run.naReasons].slice(0, 3));
  }
  return verdict;
}

/** A throw from a validation: not applicable (with its reason), an unknown value (a preview note), or an error. */
function recordThrow(run: RunOutcome, scrub: PlanView["scrub"], e: unknown, where: string): void {
  if (e instanceof NotApplicable) {
    if (e.reason) run.naReasons.add(e.reason);
  } else if (e instanceof proxy.UnknownValueError) {
    run.applied = true;
    run.verdict.notes.push(scrub(`can't run ${where} during preview: ${(e as Error).message}`));
  } else {
    run.applied = true;
    run.verdict.errors.push(scrub(`${where}: ${(e as Error)?.message ?? String(e)}`));
  }
}

/** Each validation on each resource, in plan order, with args built as the engine's analyze does. */
async function runResourcePolicy(
  validateResource: NonNullable<ResourceValidationPolicy["validateResource"]>,
  plan: PlanView,
  getConfig: <T extends object>() => T,
  run: RunOutcome,
): Promise<void> {
  const validations = Array.isArray(validateResource) ? validateResource : [validateResource];
  for (const r of plan.resources) {
    for (const validate of validations) {
      const props = proxy.unknownCheckingProxy(structuredClone(plan.plainProps.get(r.urn)!));
      const args: ResourceValidationArgs = {
        type: r.type,
        props,
        urn: r.urn,
        name: r.name,
        opts: optionsOf(r),
        stackTags: plan.stackTags,
        isType: (cls: unknown) => isTypeOf(r.type, cls),
        asType: ((cls: unknown) => (isTypeOf(r.type, cls) ? props : undefined)) as ResourceValidationArgs["asType"],
        getConfig,
        notApplicable,
      } as ResourceValidationArgs;
      try {
        await validate(args, (message: string) => {
          run.verdict.violations.push({ message: plan.scrub(String(message ?? "")), urn: r.urn, resourceName: r.name });
        });
        run.applied = true;
      } catch (e) {
        recordThrow(run, plan.scrub, e, `on ${r.name}`);
      }
    }
  }
}

/** The stack validation once, over the resources linked as the engine's analyzeStack does. */
async function runStackPolicy(p: StackValidationPolicy, plan: PlanView, getConfig: <T extends object>() => T, run: RunOutcome): Promise<void> {
  const args: StackValidationArgs = { resources: buildStackResources(plan.resources, plan.plainProps), stackTags: plan.stackTags, getConfig, notApplicable };
  try {
    await p.validateStack(args, (message: string, urn?: string) => {
      run.verdict.violations.push({ message: plan.scrub(String(message ?? "")), urn, resourceName: plan.nameOf(urn) });
    });
    run.applied = true;
  } catch (e) {
    recordThrow(run, plan.scrub, e, "on the stack");
  }
}

/** PolicyResource objects with parent / dependencies / propertyDependencies linked, as analyzeStack builds them. */
export function buildStackResources(resources: PlannedResource[], plainProps?: Map<string, Record<string, any>>): PolicyResource[] {
  const built = new Map<string, PolicyResource>();
  for (const r of resources) {
    const props = proxy.unknownCheckingProxy(structuredClone(plainProps?.get(r.urn) ?? (unwrapSecrets(r.props) as Record<string, any>)));
    built.set(r.urn, {
      type: r.type,
      props,
      urn: r.urn,
      name: r.name,
      opts: optionsOf(r),
      dependencies: [],
      propertyDependencies: {},
      isType: (cls: unknown) => isTypeOf(r.type, cls),
      asType: ((cls: unknown) => (isTypeOf(r.type, cls) ? props : undefined)) as PolicyResource["asType"],
    } as PolicyResource);
  }
  const lookup = (urns: readonly string[] | undefined) => (urns ?? []).map((u) => built.get(u)).filter((x): x is PolicyResource => !!x);
  for (const r of resources) {
    const pr = built.get(r.urn)!;
    if (r.parent && built.has(r.parent)) pr.parent = built.get(r.parent);
    pr.dependencies = lookup(r.dependencies);
    for (const [k, urns] of Object.entries(r.propertyDependencies ?? {})) pr.propertyDependencies[k] = lookup(urns);
  }
  return [...built.values()];
}

/** True when CI must fail: a mandatory policy reported a violation, or a policy crashed. */
export function hasMandatoryViolation(verdicts: readonly PolicyVerdict[]): boolean {
  return verdicts.some((v) => v.errors.length > 0 || (v.status === "violation" && v.enforcementLevel === "mandatory"));
}

function label(v: PolicyVerdict): string {
  if (v.errors.length) return "ERROR";
  if (v.enforcementLevel === "disabled") return "disabled";
  if (v.status === "pass") return "pass";
  if (v.status === "not-applicable") return "n/a";
  return v.enforcementLevel === "mandatory" ? "MANDATORY" : "advisory";
}

/**
 * A readable table: one line per policy that passed or did not apply, one line per
 * violation (resource name or URN, message), then a summary.
 */
export function formatVerdicts(verdicts: readonly PolicyVerdict[], opts: { showPassing?: boolean } = {}): string {
  const showPassing = opts.showPassing ?? true;
  const rows: string[][] = [];
  for (const v of verdicts) {
    const l = label(v);
    if (v.status !== "violation") {
      if (showPassing) rows.push([l, v.policyName, "", v.notes[0] ?? ""]);
      continue;
    }
    for (const e of v.errors) rows.push([l, v.policyName, "", `policy error ${e}`]);
    for (const x of v.violations) rows.push([l, v.policyName, x.resourceName ?? x.urn ?? "(stack)", x.message]);
    for (const n of v.notes) rows.push([l, v.policyName, "", `note: ${n}`]);
  }
  const table = renderTable([{ header: "RESULT" }, { header: "POLICY" }, { header: "RESOURCE" }, { header: "MESSAGE" }], rows);
  const count = (pred: (v: PolicyVerdict) => boolean) => verdicts.filter(pred).length;
  const mandatory = verdicts.filter((v) => v.status === "violation" && v.enforcementLevel === "mandatory");
  const advisory = verdicts.filter((v) => v.status === "violation" && v.enforcementLevel === "advisory");
  const summary =
    `${verdicts.length} policies: ${count((v) => v.status === "pass")} pass, ` +
    `${mandatory.length} with mandatory violations (${mandatory.reduce((n, v) => n + v.violations.length, 0)}), ` +
    `${advisory.length} with advisory violations (${advisory.reduce((n, v) => n + v.violations.length, 0)}), ` +
    `${count((v) => v.status === "not-applicable")} not applicable` +
    (count((v) => v.errors.length > 0) ? `, ${count((v) => v.errors.length > 0)} failed to run` : "") +
    (hasMandatoryViolation(verdicts) ? ". The stack is below the minimum bar." : ". The stack meets the minimum bar.");
  return [...table, "", summary].join("\n");
}
