/**
 * Launch Ready: the Pulumi program. It reads and validates the stack config first
 * and declares nothing when it is wrong; then it declares the site.
 */
import * as pulumi from "@pulumi/pulumi";
import { LaunchReadySite, sitePlanFromStackConfig } from "./components";

// The site's name is part of every resource's URN, so it stays the same whatever the project is
// called (renaming it would replace everything); the config lives under the project's name.
const SITE_NAME = "launch-ready";
const config = new pulumi.Config(pulumi.getProject());
const site = new LaunchReadySite(SITE_NAME, { plan: sitePlanFromStackConfig(pulumi.getProject()), secret: (key) => config.requireSecret(key) });

/** What points where: hosts, records, email, edge rules, env var names, monitors. No secret values. */
export const domainMap = site.domainMap;
export const canonicalUrl = site.domainMap.canonicalOrigin;
export const monitors = site.domainMap.monitors.map((m) => ({ name: m.name, url: m.url }));
export const envVarNames = site.hosting.envNames;
export const alertTopicArn = site.uptime.topicArn;
/** Every monitor's status, availability and latency against its targets (CloudWatch console). */
export const dashboardUrl = site.uptime.dashboardUrl;
/** The DS record to add at the registrar; DNSSEC validates only once it is there (handover, "DNSSEC"). */
export const dnssecDs = site.domain.dnssecDs;
/** What the declared stack costs per month at list prices (USD). */
export const monthlyCostUsd = site.domainMap.monthlyCost?.totalUsd;
