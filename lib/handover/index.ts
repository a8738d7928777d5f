/**
 * The handover document: a DomainMap in, founder-readable Markdown out.
 * Pure and deterministic; the date appears only when given.
 */
import type { DomainMap } from "../domain-map";
import { blocks } from "./markdown";
import { deploySection } from "./sections/deploy";
import { domainMapSection, recordsSection } from "./sections/domains";
import { emailSection } from "./sections/email";
import { envSection, rotationSection } from "./sections/env";
import { limitsSection } from "./sections/limits";
import { certificatesSection, costSection, dnssecSection, headersSection, mailTlsSection, turnstileSection } from "./sections/launch";
import { monitoringSection } from "./sections/monitoring";
import { vercelProxySection } from "./sections/vercel-proxy";
import { glanceSection, titleSection, whereSection } from "./sections/overview";

export interface HandoverOptions {
  /** The project's name (Pulumi.yaml `name`): the namespace of the config keys and commands the document names. */
  project: string;
  /** Printed as "Generated on <date>." when given; omitted otherwise so output is reproducible. */
  date?: string;
}

export function renderHandover(map: DomainMap, opts: HandoverOptions): string {
  return (
    blocks(
      titleSection(map, opts.date),
      glanceSection(map),
      whereSection(map),
      domainMapSection(map),
      recordsSection(map),
      emailSection(map, opts.project),
      mailTlsSection(map),
      certificatesSection(map),
      dnssecSection(map),
      vercelProxySection(map),
      headersSection(map),
      turnstileSection(map),
      envSection(map, opts.project),
      rotationSection(map, opts.project),
      monitoringSection(map),
      deploySection(map),
      costSection(map),
      limitsSection(map),
    ) + "\n"
  );
}

export { loadDomainMap, domainMapProblems } from "./load";
