/** How to change, redeploy and roll back: the app on Vercel, the infrastructure with Pulumi. */
import type { DomainMap } from "../../domain-map";
import { blocks, bullets, code, heading, numbered, shell } from "../markdown";

function changeInfra(stack: string): string {
  return blocks(
    heading(3, "Change DNS, edge, email or monitoring"),
    `Edit the code or ${code(`Pulumi.${stack}.yaml`)}, commit, then preview (it runs the safety policies) and apply:`,
    shell([`pulumi preview --stack ${stack} --policy-pack policies`, `pulumi up --stack ${stack}`]),
    "Read the preview: it lists every record and rule that will change. Stop if it deletes something you did not expect.",
  );
}

function redeployApp(map: DomainMap): string {
  const production = map.environment === "production";
  return blocks(
    heading(3, "Redeploy the app"),
    "Pushing to the connected Git branch deploys as usual. To rebuild what is live without a new commit (for example after changing an env var):",
    shell(["vercel list", production ? "vercel redeploy <current production deployment URL>" : "vercel redeploy <deployment URL>"]),
    `${code("vercel list")} shows recent deployments with their URLs; in the dashboard, open the deployment and choose Redeploy.`,
  );
}

function rollBackApp(): string {
  return blocks(
    heading(3, "Roll back the app (fastest fix for a bad release)"),
    "Vercel Instant Rollback points the domains back at an earlier production build, in seconds, with no rebuild:",
    shell(["vercel rollback", "vercel rollback <deployment URL or ID>", "vercel rollback status"]),
    bullets([
      `Without an argument it goes back to the previous production deployment (the only choice on the Hobby plan). In the dashboard: the project's overview, Production Deployment, Instant Rollback, then pick the deployment.`,
      "A rollback keeps that build's old env var values: if you rotated a secret since, redeploy instead once the fix is in.",
      `After a rollback, new pushes may not go live on their own. When the fix is deployed, make it live with ${code("vercel promote <deployment URL>")} (or Promote to Production in the dashboard); this also undoes the rollback.`,
    ]),
  );
}

function rollBackInfra(stack: string): string {
  return blocks(
    heading(3, "Roll back the infrastructure (DNS, Cloudflare rules, monitors)"),
    numbered(["Find the last good update and the commit it ran from:"]),
    shell([`pulumi stack history --stack ${stack}`]),
    numbered(["Check out that commit, preview, and apply it:"], 2),
    shell([`git checkout <commit>`, `pulumi preview --stack ${stack} --policy-pack policies`, `pulumi up --stack ${stack}`]),
    numbered(
      [
        `Go back to your branch (${code("git checkout main")}) and fix forward there with a commit that reverts the bad change, so the next ${code("pulumi up")} does not undo the rollback.`,
      ],
      3,
    ),
    bullets([
      `An old commit also has the old ${code(`Pulumi.${stack}.yaml`)}: if you rotated a secret since then, set the new value again before ${code("pulumi up")}, or the revoked one comes back.`,
      'DNS-only record changes take up to their TTL to reach everyone (see "How long DNS changes take").',
    ]),
  );
}

const PROTECTED_KINDS: Record<keyof NonNullable<DomainMap["protect"]>, string> = {
  records: "the canonical host's and the subdomains' DNS records",
  mail: "MX and every SPF, DKIM, DMARC and TLS reporting record",
  dnssec: "DNSSEC signing (ZoneDnssec)",
  turnstile: "the Turnstile widget (the app holds its keys)",
  alerts: "the alert topic (its email subscriptions were confirmed once)",
};

/** What carries Pulumi's `protect`, and how to remove one on purpose. */
function protectedResources(map: DomainMap): string | undefined {
  const on = Object.entries(map.protect ?? {}).flatMap(([kind, yes]) => (yes ? [PROTECTED_KINDS[kind as keyof typeof PROTECTED_KINDS]] : []));
  if (!on.length) return undefined;
  const stack = map.stack;
  return blocks(
    heading(3, "Protected resources (removing one on purpose)"),
    `Pulumi refuses to delete or replace these, even on ${code("pulumi destroy")} or a stack file that no longer declares them: ${on.join("; ")}. ` +
      `The offline plan marks each ${code("[protected]")}, and ${code(`npm run plan -- --stack ${stack} --state state.json`)} (with ${code(`pulumi stack export --stack ${stack} > state.json`)}) stops on any delete or replace of one before it reaches ${code("pulumi up")}.`,
    numbered([
      `Read why it matters in the plan's guard message, then make the change in ${code(`Pulumi.${stack}.yaml`)} and plan with ${code("--allow-delete <resource name>")}.`,
      `Lift the protection of that one resource: ${code(`pulumi state unprotect --stack ${stack} '<URN>'`)} (the URN is in the guard message and in ${code(`pulumi stack --stack ${stack} --show-urns`)}).`,
      `Preview and apply: ${code(`pulumi preview --stack ${stack} --policy-pack policies`)}, then ${code(`pulumi up --stack ${stack}`)}.`,
    ]),
    bullets([
      'DNSSEC goes registrar first: remove the DS record at the registrar and wait a day before unprotecting and deleting the signing (see "Turn it off safely"), or every validating resolver refuses the domain.',
      `To stop protecting a kind altogether, set it to false under ${code("protect")} in the stack file (e.g. ${code("protect: { records: false }")}) and run ${code("pulumi up")}: that changes only the option, nothing at the provider.`,
    ]),
  );
}

export function deploySection(map: DomainMap): string {
  return blocks(
    heading(2, "Deploy, redeploy and roll back"),
    changeInfra(map.stack),
    redeployApp(map),
    rollBackApp(),
    rollBackInfra(map.stack),
    protectedResources(map),
    heading(3, "Check after any change"),
    shell([`npm run verify -- --stack ${map.stack}`]),
    "It checks DNS, email records, redirects, HTTPS, HSTS and the monitored endpoints against this stack, and names the fix for anything wrong.",
  );
}
