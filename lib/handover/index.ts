/**
 * The handover document: a DomainMap in, founder-readable Markdown out, in reading order:
 * go/no-go and the steps only a person can do first, then what points where (a diagram),
 * email, secrets, monitoring, deploy and roll back, limits; the full record list and the
 * cost table last, in an appendix. Pure and deterministic; the date appears only when given.
 */
import type { DomainMap } from "../domain-map";
import { blocks, heading } from "./markdown";
import { deploySection } from "./sections/deploy";
import { domainMapSection, recordsSection } from "./sections/domains";
import { emailSection } from "./sections/email";
import { envSection, rotationSection } from "./sections/env";
import { limitsSection } from "./sections/limits";
import { certificatesSection, costSection, dnssecSection, headersSection, turnstileSection } from "./sections/launch";
import { monitoringSection } from "./sections/monitoring";
import { vercelProxySection } from "./sections/vercel-proxy";
import { glanceSection, titleSection } from "./sections/overview";
import { goNoGoSection, manualStepsSection } from "./sections/summary";
import type { LaunchVerdict } from "./verdict";

export interface HandoverOptions {
  /** The project's name (Pulumi.yaml `name`): the namespace of the config keys and commands the document names. */
  project: string;
  /** Printed as "Generated on <date>." when given; omitted otherwise so output is reproducible. */
  date?: string;
  /** The go/no-go verdict (the offline plan's, lib/handover/verdict.ts); without it the document says it was not judged. */
  verdict?: LaunchVerdict;
}

export function renderHandover(map: DomainMap, opts: HandoverOptions): string {
  return (
    blocks(
      titleSection(map, opts.date),
      goNoGoSection(map, opts.verdict),
      manualStepsSection(map),
      glanceSection(map),
      domainMapSection(map),
      emailSection(map, opts.project),
      envSection(map),
      rotationSection(map, opts.project),
      monitoringSection(map),
      deploySection(map),
      certificatesSection(map),
      dnssecSection(map),
      vercelProxySection(map),
      headersSection(map),
      turnstileSection(map),
      limitsSection(map),
      heading(2, "Appendix: DNS records and cost"),
      recordsSection(map),
      costSection(map),
    ) + "\n"
  );
}

export { loadDomainMap, domainMapProblems } from "./load";
export { verdictOf, type LaunchVerdict } from "./verdict";
