/**
 * The go/no-go line the handover opens with: the offline plan's verdict (conformance, the
 * policy pack, the secrets still unset) as plain sentences. Deliberately small: the launch
 * report (issue 27, item 1) ranks findings by business impact and can replace `planVerdict`
 * wholesale; the handover only needs `LaunchVerdict`.
 */

export interface LaunchVerdict {
  /** False when anything below blocks `pulumi up` or the launch. */
  go: boolean;
  /** Each finding that blocks, one sentence each, most important first. */
  blocking: string[];
  /** Findings that allow a launch but should be fixed soon (advisory policy violations). */
  warnings: string[];
  /** Where the verdict comes from, e.g. "the offline plan of stack prod". */
  source: string;
}

/** The parts of a conformance finding and a policy verdict the handover reads (tools/policy/config.ts has the full type). */
export interface PlanFindings {
  conformance: ReadonlyArray<{ name: string; property?: string; message: string }>;
  /** Undefined when the policy pack did not run. */
  policies?: ReadonlyArray<{
    policyName: string;
    enforcementLevel: string;
    status: string;
    violations: ReadonlyArray<{ message: string; resourceName?: string }>;
    errors: readonly string[];
  }>;
  /** Secret config keys ("project:key") the stack file does not hold yet. */
  unsetSecrets: readonly string[];
}

/** The plan's verdict: any conformance finding, mandatory violation, policy error or unset secret is a NO-GO. */
export function planVerdict(findings: PlanFindings, source: string): LaunchVerdict {
  const blocking: string[] = [];
  const warnings: string[] = [];
  for (const f of findings.conformance) blocking.push(`${f.name}${f.property ? ` (${f.property})` : ""}: ${f.message}`);
  for (const v of findings.policies ?? []) {
    for (const e of v.errors) blocking.push(`policy ${v.policyName} failed to run: ${e}`);
    if (v.status !== "violation") continue;
    const into = v.enforcementLevel === "mandatory" ? blocking : v.enforcementLevel === "advisory" ? warnings : undefined;
    for (const x of v.violations) into?.push(`${v.policyName}${x.resourceName ? ` (${x.resourceName})` : ""}: ${x.message}`);
  }
  const unset = findings.unsetSecrets;
  if (unset.length)
    blocking.push(
      `${unset.length === 1 ? "a secret is" : `${unset.length} secrets are`} not set yet, and \`pulumi up\` cannot run without ${unset.length === 1 ? "it" : "them"}: ${unset.join(", ")} (see "Rotating secrets" for the command)`,
    );
  if (findings.policies === undefined) warnings.push("the policy pack did not run, so the minimum bar was not checked");
  return { go: blocking.length === 0, blocking, warnings, source };
}
