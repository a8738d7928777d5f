/**
 * npm run init [-- --domain mybot.ai --zone-id ... --yes]
 * Writes a first Pulumi.<stack>.yaml from a few answers: asked on a terminal, or given as flags
 * (--yes, or no terminal: every required answer must then be a flag). The config check
 * (lib/config/validate.ts) judges the answers before anything is written; the file says what
 * each key does; no secret is ever asked or written: the `pulumi config set --secret` commands are printed.
 */
import * as fs from "fs";
import * as path from "path";
import { parseArgs as parseCliArgs } from "node:util";
import { buildStackConfig, checkStackConfig, issuePath, secretCommands, stagingDefaults, STAGING_SITE, type RawConfig } from "../../lib/init/stack";
import { inboundNote, QUESTIONS, questionFor, STAND_INS, type Question } from "../../lib/init/questions";
import { renderStackFile } from "../../lib/init/render";
import type { InitAnswers } from "../../lib/init/answers";
import type { ConfigIssue, SitePlan } from "../../lib/site-plan";
import { READ_PERMISSIONS } from "../adopt/cloudflare";
import { ROOT } from "../offline/stack-config";
import { answer, collectAnswers, InputEnded, LinePrompter, type CollectOptions, type Collected } from "../init/collect";
import { InitFileError, productionStacks, projectName, stackConfigOf, stackFilePath, writeStackFile } from "../init/files";
import { readZoneByName, zonePlanOf, zoneReport, type ZoneReading } from "../init/zone";
import { UsageError } from "../usage-error";

const flagLine = (q: Question) => `${`  --${q.flag}${q.list ? " (repeatable)" : ""}`.padEnd(38)} ${q.prompt}`;

export const HELP = `Usage: npm run init [-- FLAGS]

Writes a first stack file, Pulumi.<stack>.yaml, from a few answers. On a terminal it asks for
each answer no flag gave; with --yes (or without a terminal) it asks nothing, and every required
answer must come as a flag. The config check judges the answers before anything is written.
It never asks for or writes a secret: it prints the pulumi config set --secret commands to run.
With CLOUDFLARE_API_TOKEN (read-only: ${READ_PERMISSIONS.zone}, ${READ_PERMISSIONS.dns}) it reads the
zone's id, plan and account by its name, and its DNS records, and says how to adopt them.

Answers:
${QUESTIONS.map(flagLine).join("\n")}

Options:
  --dir DIR                   the project directory (Pulumi.yaml and the stack files; default: this repository)
  --force                     replace an existing stack file
  --yes, -y                   ask nothing: take flags and defaults
  --api-url URL               Cloudflare API base (default https://api.cloudflare.com/client/v4)
  --timeout MS                per Cloudflare API request (default 15000)
  -h, --help                  show this help

Exit codes: 0 written, 1 a refused answer, a file or API error (nothing written), 2 bad usage or a missing answer.
`;

export interface InitIo {
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
}

interface Control {
  dir: string;
  force: boolean;
  yes: boolean;
  apiUrl?: string;
  timeoutMs?: number;
  help: boolean;
  flags: Record<string, string[] | undefined>;
}

function readArgs(argv: readonly string[]): Control {
  const options: Record<string, { type: "string" | "boolean"; multiple?: boolean; short?: string }> = {
    dir: { type: "string" },
    force: { type: "boolean" },
    yes: { type: "boolean", short: "y" },
    "api-url": { type: "string" },
    timeout: { type: "string" },
    help: { type: "boolean", short: "h" },
  };
  for (const q of QUESTIONS) options[q.flag] = { type: "string", ...(q.list ? { multiple: true } : {}) };
  let values: Record<string, string | boolean | Array<string | boolean> | undefined>;
  try {
    ({ values } = parseCliArgs({ args: [...argv], options, strict: true, allowPositionals: false }));
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  let timeoutMs: number | undefined;
  if (values.timeout !== undefined) {
    timeoutMs = Number(values.timeout);
    if (!Number.isInteger(timeoutMs) || timeoutMs < 100)
      throw new UsageError(`--timeout must be a number of milliseconds (at least 100), got "${values.timeout}"`);
  }
  const flags: Control["flags"] = {};
  for (const q of QUESTIONS) {
    const v = values[q.flag];
    if (v !== undefined) flags[q.flag] = (Array.isArray(v) ? v : [v]).map(String);
  }
  return {
    dir: path.resolve(String(values.dir ?? ROOT)),
    force: values.force === true,
    yes: values.yes === true,
    apiUrl: values["api-url"] as string | undefined,
    timeoutMs,
    help: values.help === true,
    flags,
  };
}

/** What init learns along the way: the production stack a staging stack starts from, the zone it read. */
interface Session {
  control: Control;
  namespace: string;
  io: InitIo;
  production?: RawConfig;
  zone?: ZoneReading;
  presets: Partial<InitAnswers>;
  offers: Partial<InitAnswers>;
}

export async function main(
  argv: readonly string[],
  io: InitIo = { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env },
): Promise<number> {
  let control: Control;
  try {
    control = readArgs(argv);
  } catch (err) {
    io.stderr.write(`init: ${(err as Error).message}\n\n${HELP}`);
    return 2;
  }
  if (control.help) {
    io.stdout.write(HELP);
    return 0;
  }
  const prompter = io.stdin.isTTY && !control.yes ? new LinePrompter(io.stdin, io.stdout) : undefined;
  try {
    const namespace = projectName(control.dir);
    const session: Session = { control, namespace, io, presets: {}, offers: {} };
    const production = productionStacks(control.dir, namespace);
    // Offered as a staging stack's --from only: a second production stack beside it is its own.
    if (production.length === 1) session.offers.from = production[0];
    const options = collectOptions(session, prompter);
    const collected = await collectAnswers(options);
    const result = await settle(session, options, collected);
    if (typeof result === "number") return result;
    return write(session, result.answers, result.plan);
  } catch (err) {
    if (err instanceof InputEnded || err instanceof InitFileError) {
      io.stderr.write(`init: ${err.message}\n`);
      return 1;
    }
    // An API error says which permission is missing or what to do; no stack traces.
    io.stderr.write(`init: ${(err as Error).message}\n`);
    return 1;
  } finally {
    prompter?.close();
  }
}

function collectOptions(session: Session, prompter: LinePrompter | undefined): CollectOptions {
  return {
    flags: session.control.flags,
    presets: session.presets,
    offers: session.offers,
    prompter,
    out: session.io.stdout,
    problems: (q, answers) => answerProblems(session, q, answers),
    after: (q, answers) => afterAnswer(session, q, answers),
  };
}

/** The config check's messages that belong to this answer, with what is not answered yet stood in for by valid values. */
function answerProblems(session: Session, q: Question, answers: Partial<InitAnswers>): string[] {
  if (q.id === "stack") return [];
  const full = { ...STAND_INS, ...session.presets, ...answers } as InitAnswers;
  const result = checkStackConfig(buildStackConfig(full), full.stack, session.namespace, session.production);
  if (result.ok) return [];
  return result.issues.filter((i) => questionFor(issuePath(i), full) === q).map((i) => issueLine(session.namespace, i));
}

function flagHint(issue: ConfigIssue, answers: Partial<InitAnswers>): string {
  const q = questionFor(issuePath(issue), answers);
  return q ? ` (the answer to --${q.flag})` : "";
}

const issueLine = (namespace: string, issue: ConfigIssue) => `${namespace}:${issuePath(issue)}: ${issue.message}`;

/** Loads the production stack a staging stack starts from; reads the zone once the domain is known. */
async function afterAnswer(session: Session, q: Question, answers: Partial<InitAnswers>): Promise<string[]> {
  if (q.id === "stack") {
    const file = stackFilePath(session.control.dir, answers.stack!);
    return fs.existsSync(file) && !session.control.force
      ? [`${path.basename(file)} already exists: pass --force to replace it, or choose another stack name`]
      : [];
  }
  if (q.id === "from" && answers.from) {
    let production: RawConfig;
    try {
      production = stackConfigOf(session.control.dir, answers.from, session.namespace);
    } catch (err) {
      return [(err as Error).message];
    }
    if (production.environment !== "production")
      return [`Pulumi.${answers.from}.yaml is not a production stack (environment: ${String(production.environment)})`];
    session.production = production;
    Object.assign(session.presets, stagingDefaults(production));
  }
  const token = session.io.env.CLOUDFLARE_API_TOKEN;
  if (q.id === "domain" && token && answers.domain && session.zone?.summary.name !== answers.domain) {
    const reading = await readZoneByName(answers.domain, { token, baseURL: session.control.apiUrl, timeoutMs: session.control.timeoutMs });
    if (!reading) {
      session.io.stdout.write(
        `Cloudflare has no zone ${answers.domain} that this token can read: add the site in the dashboard (Add a site), or give the token access to it; the zone id is then asked for.\n`,
      );
      return [];
    }
    const given = session.control.flags["zone-id"]?.[0];
    if (given && given !== reading.summary.id)
      return [`Cloudflare's zone ${answers.domain} has the id ${reading.summary.id}, not --zone-id ${given}: remove --zone-id or fix it`];
    session.zone = reading;
    Object.assign(session.presets, { zoneId: reading.summary.id, accountId: reading.summary.account?.id, zonePlan: zonePlanOf(reading.summary) });
    session.io.stdout.write(`Read the zone ${answers.domain} from Cloudflare: id, account and plan filled in.\n`);
  }
  return [];
}

/**
 * The whole config's check once every answer is in: on a terminal each refused answer is asked
 * again (with the check's message) until the config passes; otherwise the problems are printed.
 */
async function settle(session: Session, options: CollectOptions, collected: Collected): Promise<{ answers: InitAnswers; plan: SitePlan } | number> {
  const { io, namespace } = session;
  if (collected.missing.length) {
    io.stderr.write(
      `init: no prompts (${session.control.yes ? "--yes" : "stdin is not a terminal"}), so these answers must come as flags: ${collected.missing.map((q) => `--${q.flag}`).join(", ")}\n` +
        collected.missing.map((q) => `  --${q.flag}: ${q.prompt}\n`).join(""),
    );
    return 2;
  }
  const refused = collected.refused.flatMap(({ q, messages }) => messages.map((m) => `  - --${q.flag}: ${m}\n`));
  for (let round = 0; ; round++) {
    const answers = { ...session.presets, ...collected.answers } as InitAnswers;
    const result = checkStackConfig(buildStackConfig(answers), answers.stack, session.namespace, session.production);
    if (result.ok && !refused.length) return { answers, plan: result.plan };
    if (result.ok || refused.length) {
      const issues = result.ok ? [] : result.issues;
      io.stderr.write(`init: nothing was written; ${refused.length + issues.length} answer problem(s):\n${refused.join("")}`);
      for (const i of issues) io.stderr.write(`  - ${issueLine(namespace, i)}${flagHint(i, answers)}\n`);
      return 1;
    }
    const byQuestion = new Map<Question | undefined, ConfigIssue[]>();
    for (const i of result.issues) {
      const q = questionFor(issuePath(i), answers);
      byQuestion.set(q, [...(byQuestion.get(q) ?? []), i]);
    }
    if (!options.prompter || byQuestion.has(undefined) || round >= 5) {
      io.stderr.write(`init: the config of stack "${answers.stack}" would have ${result.issues.length} problem(s); nothing was written:\n`);
      for (const i of result.issues) io.stderr.write(`  - ${issueLine(namespace, i)}${flagHint(i, answers)}\n`);
      return 1;
    }
    for (const [q, issues] of byQuestion) {
      io.stdout.write(`The whole config's check refuses this answer:\n${issues.map((i) => `  - ${issueLine(namespace, i)}\n`).join("")}`);
      await answer(q!, options, collected, true);
    }
  }
}

function write(session: Session, answers: InitAnswers, plan: SitePlan): number {
  const { control, namespace, io } = session;
  const file = stackFilePath(control.dir, answers.stack);
  const staging = answers.environment === "staging";
  const header = [
    `Pulumi.${answers.stack}.yaml: the ${answers.environment} stack of ${answers.domain}, written by npm run init.`,
    ...(staging && answers.from
      ? [`Made from Pulumi.${answers.from}.yaml: the same zone, hosts of its own (${STAGING_SITE}.${answers.domain}, ${STAGING_SITE}-<name>).`]
      : []),
    "Secrets are never in this file: each is set with pulumi config set --secret (init printed the commands).",
    `npm run plan -- --stack ${answers.stack} checks it offline; README's Stack configuration lists every key.`,
  ];
  writeStackFile(file, renderStackFile({ header, namespace, config: buildStackConfig(answers) }), control.force);
  const relative = path.relative(process.cwd(), file);
  const rel = relative.startsWith("..") ? file : relative;
  const out: string[] = [`Wrote ${rel}: stack "${answers.stack}" of project ${namespace} (${answers.environment}).`];
  const mail = inboundNote(answers);
  if (mail) out.push(mail);
  if (answers.sender !== "none" && !staging && !answers.senderDkim.length)
    out.push(
      `The ${answers.sender} sender has no DKIM key yet: add the keys its dashboard shows to its email.senders entry (dkim: a list of { selector, type, value }).`,
    );
  const adopt = `npm run adopt -- --stack ${answers.stack}${path.resolve(control.dir) === ROOT ? "" : ` --dir ${control.dir}`}`;
  if (session.zone) out.push(...zoneReport(session.zone, plan, adopt));
  else if (!staging)
    out.push(
      `Not on Cloudflare yet? Add ${answers.domain} in the dashboard (Add a site), then point the registrar at the two name servers it shows. If the zone already holds records, run ${adopt} (with CLOUDFLARE_API_TOKEN) before the first pulumi up.`,
    );
  out.push(
    "",
    "Set each secret the stack needs (the CLI prompts for the value, so it never lands in your shell history):",
    ...secretCommands(plan, namespace, answers.stack).map((c) => `  ${c}`),
    "AWS credentials come from the environment (AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY).",
    "",
    `Next: npm run plan -- --stack ${answers.stack}, then pulumi preview --stack ${answers.stack} --policy-pack policies, then pulumi up.`,
  );
  io.stdout.write(`${out.join("\n")}\n`);
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
