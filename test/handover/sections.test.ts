/**
 * Handover sentences that only some stacks bring: a sender passing by DKIM alone, a DMARC policy
 * already at quarantine, a map from before the Slack channel was recorded.
 */
import { strict as assert } from "assert";
import { renderHandover } from "../../lib/handover";
import { planStack } from "../../tools/offline/plan";
import { HANDOVER } from "../helpers/stack-config";
import { fixtureMap, section } from "./helpers";

describe("handover sections a stack brings only with its feature", function () {
  this.timeout(60_000);

  it("SES with no MAIL FROM passes SPF only unaligned: the email table says it signs with DKIM; a quarantine policy is said as such", async () => {
    const config = {
      "aws:region": "us-east-1",
      "launch-ready:environment": "production",
      "launch-ready:zone": { name: "quillnote.app", id: "c".repeat(32), accountId: "d".repeat(32) },
      "launch-ready:hosting": { projectId: "prj_Quillnote1" },
      "launch-ready:email": {
        senders: [
          {
            name: "ses",
            kind: "amazon-ses",
            dkim: ["a1", "b2", "c3"].map((t) => ({ selector: `${t}xyz`, type: "CNAME", value: `${t}xyz.dkim.amazonses.com` })),
          },
        ],
        dmarc: { policy: "quarantine", rua: ["dmarc@quillnote.app"] },
      },
      "launch-ready:alerts": { emails: ["oncall@quillnote.app"] },
    };
    const plan = await planStack("prod", { stackFile: { config } });
    const email = section(renderHandover(plan.domainMap, HANDOVER), "Email");
    assert.match(email, /\| ses \| Amazon SES \| `quillnote\.app` \| no SPF record from this stack \(it signs with DKIM\) \|/);
    assert.match(email, /The policy is quarantine now: failing mail goes to spam\./);
  });

  it("a map written before the Slack channel was recorded still says Slack is on and what it needs", () => {
    const map = fixtureMap();
    delete (map.alerts as { slackChannel?: unknown }).slackChannel;
    const monitoring = section(renderHandover(map, HANDOVER), "Monitoring and alerts");
    assert.match(monitoring, /Slack: yes, through AWS Chatbot \(the workspace must be authorised once in the AWS Chatbot console, or nothing arrives\)\./);
  });
});
