/** How to change, redeploy and roll back: the app on Vercel, the infrastructure with Pulumi. */
import type { DomainMap } from "../../domain-map";
import { blocks, bullets, code, heading, lead, numbered, shell } from "../markdown";

function changeInfra(stack: string): string {
  return blocks(
    `**Change DNS, edge, email or monitoring**: edit the code or ${code(`Pulumi.${stack}.yaml`)}, commit, then preview (it runs the safety policies) and apply. Read the preview: it lists every record and rule that will change; stop if it deletes something you did not expect.`,
    shell([`pulumi preview --stack ${stack} --policy-pack policies`, `pulumi up --stack ${stack}`]),
  );
}

function appSteps(map: DomainMap): string {
  const production = map.environment === "production";
  return bullets([
    `**Redeploy the app**: pushing to the connected Git branch deploys as usual. To rebuild what is live without a commit (after an env var change): ${code("vercel list")}, then ${code(production ? "vercel redeploy <current production deployment URL>" : "vercel redeploy <deployment URL>")} (or Redeploy on the deployment in the dashboard).`,
    `**Roll back the app** (fastest fix for a bad release): ${code("vercel rollback")} points the domains back at the previous production build in seconds, without a rebuild (${code("vercel rollback <deployment URL or ID>")} for another one; Hobby allows only the previous one; ${code("vercel rollback status")} shows progress). It keeps that build's old env var values: if you rotated a secret since, redeploy instead. New pushes may not go live after a rollback: ${code("vercel promote <deployment URL>")} makes the fixed one live and ends the rollback.`,
  ]);
}

function rollBackInfra(stack: string): string {
  return blocks(
    lead(
      "**Roll back the infrastructure** (DNS, Cloudflare rules, monitors):",
      numbered([
        `Find the last good update and its commit: ${code(`pulumi stack history --stack ${stack}`)}.`,
        `${code("git checkout <commit>")}, then ${code(`pulumi preview --stack ${stack} --policy-pack policies`)} and ${code(`pulumi up --stack ${stack}`)}.`,
        `Back on your branch (${code("git checkout main")}), fix forward with a commit that reverts the bad change, so the next ${code("pulumi up")} does not undo the rollback.`,
      ]),
    ),
    `An old commit has the old ${code(`Pulumi.${stack}.yaml`)}: if you rotated a secret since, set the new value again before ${code("pulumi up")}, or the revoked one comes back. DNS-only changes take up to their TTL to reach everyone.`,
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
    `**Protected resources**: Pulumi refuses to delete or replace these, even on ${code("pulumi destroy")}: ${on.join("; ")}. The offline plan marks each ${code("[protected]")}; ${code(`npm run plan -- --stack ${stack} --state state.json`)} (from ${code(`pulumi stack export --stack ${stack} > state.json`)}) stops on a delete or replace of one. To remove one on purpose:\n` +
      numbered([
        `Make the change in ${code(`Pulumi.${stack}.yaml`)} and plan with ${code("--allow-delete <resource name>")} (read the guard message).`,
        `${code(`pulumi state unprotect --stack ${stack} '<URN>'`)} (the URN is in the guard message and in ${code(`pulumi stack --stack ${stack} --show-urns`)}), then preview and ${code("pulumi up")}.`,
        `DNSSEC goes registrar first: remove the DS and wait a day before unprotecting the signing. To stop protecting a kind, set it false under ${code("protect")} (e.g. ${code("protect: { records: false }")}): that changes only the option.`,
      ]),
  );
}

export function deploySection(map: DomainMap): string {
  return blocks(
    heading(2, "Deploy, redeploy and roll back"),
    changeInfra(map.stack),
    appSteps(map),
    rollBackInfra(map.stack),
    protectedResources(map),
    `**Check after any change**: ${code(`npm run verify -- --stack ${map.stack}`)} checks DNS, email records, redirects, HTTPS, HSTS and the monitored endpoints against this stack, and names the fix for anything wrong.`,
  );
}
