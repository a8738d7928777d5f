/**
 * The mail sender catalogue (policies/shared/mail-senders.json) and the planner that reads it:
 * each provider, configured with what its dashboard would show, gets its records where the
 * provider puts them; a sender without DKIM is refused with what to copy and from where.
 * The stack is quill.io (not the AcmeChat example); the expected records are written out
 * from the providers' setup pages as the catalogue cites them, not read back from the planner.
 */
import { strict as assert } from "assert";
import { mailSendersSchema } from "../../lib/provider-facts";
import { emailSchema, zoneSchema } from "../../lib/config/schema";
import { planEmail } from "../../lib/email/records";
import { SENDER_CATALOGUE, providersOfInclude } from "../../policies/shared/senders";
import { INBOUND_PROVIDERS } from "../../lib/init/answers";
import { unquoteTxt } from "../../policies/shared/dns-text";
import catalogueJson from "../../policies/shared/mail-senders.json";

const zone = zoneSchema.parse({ name: "quill.io", id: "a".repeat(32), accountId: "b".repeat(32), plan: "free" });
const KEY = "MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQC";

function plan(sender: Record<string, unknown>) {
  const email = emailSchema.parse({ senders: [{ name: "mailer", ...sender }], dmarc: { rua: ["dmarc@quill.io"] } });
  return planEmail({ zone, siteName: "@", email, hosts: [], cnameNames: new Set() });
}

/** The records a sender brings: SPF, DKIM, return path, verification (DMARC and lock-downs left out). */
function senderRecords(p: ReturnType<typeof plan>): string[] {
  return p.records
    .filter((r) => !["dmarc", "no-mail", "tls-reporting"].includes(r.purpose))
    .map((r) => `${r.fqdn} ${r.type} ${r.type === "TXT" ? unquoteTxt(r.content) : r.content}${r.priority === undefined ? "" : ` ${r.priority}`}`)
    .sort();
}

/** Per kind: the sender config a founder writes from the dashboard, and the records the provider's setup page asks for. */
const CASES: Record<string, { config: Record<string, unknown>; records: string[] }> = {
  "google-workspace": {
    config: { kind: "google-workspace", dkim: [{ selector: "google", type: "TXT", value: `v=DKIM1; k=rsa; p=${KEY}` }] },
    records: ["google._domainkey.quill.io TXT v=DKIM1; k=rsa; p=" + KEY, "quill.io TXT v=spf1 include:_spf.google.com ~all"],
  },
  "microsoft-365": {
    config: {
      kind: "microsoft-365",
      dkim: [1, 2].map((n) => ({ selector: `selector${n}`, type: "CNAME", value: `selector${n}-quill-io._domainkey.quillhq.r-v1.dkim.mail.microsoft` })),
    },
    records: [
      "quill.io TXT v=spf1 include:spf.protection.outlook.com ~all",
      "selector1._domainkey.quill.io CNAME selector1-quill-io._domainkey.quillhq.r-v1.dkim.mail.microsoft",
      "selector2._domainkey.quill.io CNAME selector2-quill-io._domainkey.quillhq.r-v1.dkim.mail.microsoft",
    ],
  },
  "amazon-ses": {
    config: {
      kind: "amazon-ses",
      mailFrom: "mail",
      region: "eu-west-1",
      dkim: ["tok1", "tok2", "tok3"].map((t) => ({ selector: t, type: "CNAME", value: `${t}.dkim.amazonses.com` })),
    },
    records: [
      "mail.quill.io MX feedback-smtp.eu-west-1.amazonses.com 10",
      "mail.quill.io TXT v=spf1 include:amazonses.com ~all",
      "tok1._domainkey.quill.io CNAME tok1.dkim.amazonses.com",
      "tok2._domainkey.quill.io CNAME tok2.dkim.amazonses.com",
      "tok3._domainkey.quill.io CNAME tok3.dkim.amazonses.com",
    ],
  },
  resend: {
    config: { kind: "resend", region: "us-east-1", dkim: [{ selector: "resend", type: "TXT", value: `p=${KEY}` }] },
    records: [
      "resend._domainkey.quill.io TXT p=" + KEY,
      "send.quill.io MX feedback-smtp.us-east-1.amazonses.com 10",
      "send.quill.io TXT v=spf1 include:amazonses.com ~all",
    ],
  },
  postmark: {
    config: { kind: "postmark", dkim: [{ selector: "20240101pm", type: "TXT", value: `k=rsa; p=${KEY}` }] },
    records: ["20240101pm._domainkey.quill.io TXT k=rsa; p=" + KEY, "pm-bounces.quill.io CNAME pm.mtasv.net"],
  },
  sendgrid: {
    config: {
      kind: "sendgrid",
      mailFrom: "em4821",
      mailFromTarget: "u3310492.wl.sendgrid.net",
      dkim: ["s1", "s2"].map((s) => ({ selector: s, type: "CNAME", value: `${s}.domainkey.u3310492.wl.sendgrid.net` })),
    },
    records: [
      "em4821.quill.io CNAME u3310492.wl.sendgrid.net",
      "s1._domainkey.quill.io CNAME s1.domainkey.u3310492.wl.sendgrid.net",
      "s2._domainkey.quill.io CNAME s2.domainkey.u3310492.wl.sendgrid.net",
    ],
  },
  mailgun: {
    config: { kind: "mailgun", domain: "mg", dkim: [{ selector: "pic", type: "TXT", value: `k=rsa; p=${KEY}` }] },
    records: [
      "mg.quill.io MX mxa.mailgun.org 10",
      "mg.quill.io MX mxb.mailgun.org 10",
      "mg.quill.io TXT v=spf1 include:mailgun.org ~all",
      "pic._domainkey.mg.quill.io TXT k=rsa; p=" + KEY,
    ],
  },
  brevo: {
    config: {
      kind: "brevo",
      dkim: [{ selector: "mail", type: "TXT", value: `k=rsa;p=${KEY}` }],
      records: [{ name: "@", type: "TXT", content: "brevo-code:0123456789abcdef" }],
    },
    records: ["mail._domainkey.quill.io TXT k=rsa;p=" + KEY, "quill.io TXT brevo-code:0123456789abcdef"],
  },
  "zoho-mail": {
    // The SPF include is the founder's copy from Zoho's SPF tab: the catalogue holds none (sources conflict).
    config: { kind: "zoho-mail", spfInclude: "zoho.eu", dkim: [{ selector: "zmail", type: "TXT", value: `v=DKIM1; k=rsa; p=${KEY}` }] },
    records: ["quill.io TXT v=spf1 include:zoho.eu ~all", "zmail._domainkey.quill.io TXT v=DKIM1; k=rsa; p=" + KEY],
  },
  "mailchimp-transactional": {
    config: { kind: "mailchimp-transactional" },
    records: ["mte1._domainkey.quill.io CNAME dkim1.mandrillapp.com", "mte2._domainkey.quill.io CNAME dkim2.mandrillapp.com"],
  },
  loops: {
    // Loops' include, MX and DKIM are the dashboard's (not in the catalogue): the founder copies them.
    config: {
      kind: "loops",
      spfInclude: "envelope.loops-mail.example",
      dkim: [{ selector: "loops1", type: "CNAME", value: "loops1.dkim.loops-mail.example" }],
      records: [{ name: "envelope", type: "MX", content: "feedback.loops-mail.example", priority: 10 }],
    },
    records: [
      "envelope.quill.io MX feedback.loops-mail.example 10",
      "envelope.quill.io TXT v=spf1 include:envelope.loops-mail.example ~all",
      "loops1._domainkey.quill.io CNAME loops1.dkim.loops-mail.example",
    ],
  },
  "customer-io": {
    config: {
      kind: "customer-io",
      mailFrom: "cio12345",
      dkim: [{ selector: "krs", type: "TXT", value: `k=rsa; p=${KEY}` }],
      records: ["mxa.mailgun.org", "mxb.mailgun.org"].map((host) => ({ name: "cio12345", type: "MX", content: host, priority: 10 })),
    },
    records: [
      "cio12345.quill.io MX mxa.mailgun.org 10",
      "cio12345.quill.io MX mxb.mailgun.org 10",
      "cio12345.quill.io TXT v=spf1 include:mailgun.org ~all",
      "krs._domainkey.cio12345.quill.io TXT k=rsa; p=" + KEY,
    ],
  },
  fastmail: {
    config: { kind: "fastmail" },
    records: [
      "fm1._domainkey.quill.io CNAME fm1.quill.io.dkim.fmhosted.com",
      "fm2._domainkey.quill.io CNAME fm2.quill.io.dkim.fmhosted.com",
      "fm3._domainkey.quill.io CNAME fm3.quill.io.dkim.fmhosted.com",
      "quill.io TXT v=spf1 include:spf.messagingengine.com ~all",
    ],
  },
  custom: {
    config: { kind: "custom", spfInclude: "spf.quillmailer.net", dkim: [{ selector: "qm1", type: "TXT", value: `k=rsa; p=${KEY}` }] },
    records: ["qm1._domainkey.quill.io TXT k=rsa; p=" + KEY, "quill.io TXT v=spf1 include:spf.quillmailer.net ~all"],
  },
};

describe("mail sender catalogue: the data", () => {
  it("parses against its schema, and covers exactly the kinds this test plans", () => {
    assert.equal(mailSendersSchema.safeParse(catalogueJson).success, true);
    assert.deepEqual(Object.keys(SENDER_CATALOGUE.providers).sort(), Object.keys(CASES).sort());
  });

  it("refuses an entry whose fact has no source URL, or no read date, or a source that is not a URL", () => {
    const copy = () => JSON.parse(JSON.stringify(catalogueJson));
    const noSource = copy();
    delete noSource.providers.resend.returnPath.source;
    const noRead = copy();
    delete noRead.providers.postmark.dkim.read;
    const notUrl = copy();
    notUrl.providers.sendgrid.spf.source = "SendGrid docs";
    const noLookupSource = copy();
    delete noLookupSource.includes["mailgun.org"].source;
    for (const [what, bad] of Object.entries({ noSource, noRead, notUrl, noLookupSource })) {
      const r = mailSendersSchema.safeParse(bad);
      assert.equal(r.success, false, what);
      assert.match(JSON.stringify(r.error!.issues), /needs the (URL of the page|date the page was read)|Invalid input/, what);
    }
  });

  it("holds MX facts only for providers that receive mail, and for each mailbox init offers", () => {
    for (const [kind, entry] of Object.entries(SENDER_CATALOGUE.providers)) {
      if (entry.inbound) assert.ok(entry.roles.includes("inbound"), `${kind} has MX facts but does not receive mail`);
    }
    // init offers these as the domain's mailbox: each needs its MX facts
    for (const kind of INBOUND_PROVIDERS.filter((k) => k !== "none")) assert.ok(SENDER_CATALOGUE.providers[kind].inbound, kind);
    assert.deepEqual(SENDER_CATALOGUE.providers["google-workspace"].inbound?.mx, [{ host: "smtp.google.com", priority: 1 }]);
    assert.equal(SENDER_CATALOGUE.providers["microsoft-365"].inbound?.mx, null, "Microsoft 365's MX is the tenant's own");
  });

  it("says which providers an include authorises: amazonses.com is SES's and Resend's, an unknown include nobody's", () => {
    assert.deepEqual(providersOfInclude("AmazonSES.com").sort(), ["amazon-ses", "resend"]);
    assert.deepEqual(providersOfInclude("spf.unknown-sender.example"), []);
  });
});

describe("mail sender catalogue: each provider's records where the provider puts them (quill.io)", () => {
  for (const [kind, c] of Object.entries(CASES)) {
    it(`${kind}: ${c.records.length} records, no config problem`, () => {
      const p = plan(c.config);
      assert.deepEqual(p.problems, []);
      assert.deepEqual(senderRecords(p), [...c.records].sort());
    });
  }

  it("a return-path name sends mail: it gets no lock-down, and the apex SPF carries only apex-envelope providers", () => {
    const email = emailSchema.parse({
      senders: [
        { name: "google", ...CASES["google-workspace"].config },
        { name: "resend", ...CASES.resend.config },
      ],
      dmarc: { rua: ["dmarc@quill.io"] },
      lockDown: ["send", "news"],
    });
    const p = planEmail({ zone, siteName: "@", email, hosts: [], cnameNames: new Set() });
    assert.deepEqual(p.nonSendingDomains, ["news.quill.io"]);
    const apexSpf = p.records.filter((r) => r.name === "@" && r.purpose === "spf").map((r) => unquoteTxt(r.content));
    assert.deepEqual(apexSpf, ["v=spf1 include:_spf.google.com ~all"]);
  });

  it("combining providers over 10 lookups gets the refusal: Google (4) + Mailgun at the apex (5) + Fastmail (1) + one more", () => {
    const email = emailSchema.parse({
      senders: [
        { name: "google", ...CASES["google-workspace"].config },
        { name: "mailgun", kind: "mailgun", dkim: [{ selector: "pic", type: "TXT", value: `p=${KEY}` }] },
        { name: "fastmail", kind: "fastmail" },
        { name: "crm", ...CASES.custom.config, dkim: [{ selector: "crm1", type: "TXT", value: `p=${KEY}` }] },
      ],
      dmarc: { rua: ["dmarc@quill.io"] },
    });
    const p = planEmail({ zone, siteName: "@", email, hosts: [], cnameNames: new Set() });
    assert.equal(p.problems.length, 1, JSON.stringify(p.problems));
    assert.match(p.problems[0].message, /^SPF for quill\.io \(google, mailgun, fastmail, crm\): the record needs 11 DNS lookups \(limit 10\)/);
  });
});

describe("mail sender catalogue: a sender without DKIM is refused", () => {
  for (const [kind, entry] of Object.entries(SENDER_CATALOGUE.providers)) {
    if (entry.dkim?.cnameTargets) continue; // the program writes these itself (tested above)
    it(`${kind}: email.senders[0].dkim names what to copy and the provider's page`, () => {
      const { dkim: _dkim, ...config } = CASES[kind].config;
      const p = plan(config);
      const found = p.problems.filter((x) => x.path === "senders[0].dkim");
      assert.equal(found.length, 1, JSON.stringify(p.problems));
      assert.match(found[0].message, /^sender "mailer" \(.+\) has no DKIM key, so its mail fails DKIM/);
      assert.ok(found[0].message.includes(entry.setupPage.url), found[0].message);
      assert.ok(found[0].message.includes("into email.senders[0].dkim"), found[0].message);
    });
  }

  it("a DKIM key of the wrong type, or too few keys, is refused with the catalogue's source", () => {
    const p = plan({ kind: "amazon-ses", mailFrom: "mail", region: "us-east-1", dkim: [{ selector: "tok1", type: "TXT", value: "p=x" }] });
    assert.deepEqual(
      p.problems.map((x) => x.path),
      ["senders[0].dkim[0].type", "senders[0].dkim"],
    );
    assert.match(
      p.problems[1].message,
      /^Amazon SES gives 3 DKIM records \(https:\/\/docs\.aws\.amazon\.com\/goto\/WebAPI\/email\/VerifyDomainDkim\), 1 given/,
    );
  });

  it("asks for the values the catalogue does not hold: Resend's region, SendGrid's return-path CNAME, Zoho's include", () => {
    const paths = (config: Record<string, unknown>) => plan(config).problems.map((x) => x.path);
    const { region: _r, ...resend } = CASES.resend.config;
    assert.deepEqual(paths(resend), ["senders[0].region"]);
    const { mailFromTarget: _t, ...sendgrid } = CASES.sendgrid.config;
    assert.deepEqual(paths(sendgrid), ["senders[0].mailFromTarget"]);
    const { spfInclude: _s, ...zoho } = CASES["zoho-mail"].config;
    assert.deepEqual(paths(zoho), ["senders[0].spfInclude"]);
  });
});
