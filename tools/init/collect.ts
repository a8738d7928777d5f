/**
 * Gathers `npm run init`'s answers: from flags, then presets (the production stack, the
 * Cloudflare zone), then defaults; on a terminal, every question no flag answered is asked
 * (node:readline/promises), and an answer the config check refuses is asked again with its message.
 */
import { createInterface, type Interface } from "node:readline/promises";
import { AnswerError, type InitAnswers } from "../../lib/init/answers";
import { QUESTIONS, type Question } from "../../lib/init/questions";

type Answers = Partial<InitAnswers>;

/** The input ended (Ctrl-D, or a pipe ran out) before every answer was given. */
export class InputEnded extends Error {}

/** Reads one line per answer; lines that arrive before their question waits are kept, so piped answers are never lost. */
export class LinePrompter {
  private readonly rl: Interface;
  private readonly lines: AsyncIterator<string>;

  constructor(
    input: NodeJS.ReadableStream,
    private readonly output: NodeJS.WritableStream,
  ) {
    this.rl = createInterface({ input, terminal: false });
    this.lines = this.rl[Symbol.asyncIterator]();
  }

  async ask(text: string): Promise<string> {
    this.output.write(text);
    const next = await this.lines.next();
    if (next.done) throw new InputEnded("the input ended before every answer was given: nothing was written");
    return next.value;
  }

  close(): void {
    this.rl.close();
  }
}

export interface CollectOptions {
  /** Flag values by flag name, as parseArgs gave them. */
  flags: Record<string, string[] | undefined>;
  /** Answers known before asking (the production stack's, the zone's), read each time: hooks add to them. */
  presets: Answers;
  /** Defaults offered only where their question applies (the one production stack, as a staging stack's --from). */
  offers?: Answers;
  /** Absent: no prompts (--yes, or stdin is not a terminal). */
  prompter?: LinePrompter;
  out: NodeJS.WritableStream;
  /** The config check's messages about this answer, given the answers so far ([] when fine). */
  problems(q: Question, answers: Answers): string[];
  /** Runs after an answer is taken (loads the production stack, reads the zone); returns problems that send the question back. */
  after?(q: Question, answers: Answers): Promise<string[]>;
}

export interface Collected {
  answers: Answers;
  /** Questions a flag had to answer (no prompts) but none did. */
  missing: Question[];
  /** Answers refused without prompts, with their messages. */
  refused: Array<{ q: Question; messages: string[] }>;
}

const empty = (q: Question) => (q.list ? [] : undefined);

/** An answer taken, or why it was not (the message to show before asking again). */
type Taken = { value: unknown } | { retry: string };

function parsed(q: Question, values: string[]): Taken {
  try {
    return { value: q.parse(values) };
  } catch (err) {
    if (!(err instanceof AnswerError)) throw err;
    return { retry: err.message };
  }
}

/** What an answer falls back to when nothing is given: its preset, else (where it applies) what is offered, else its default. */
const fallbackOf = (q: Question, o: CollectOptions, answers: Answers): unknown =>
  o.presets[q.id] ?? ((q.when?.(answers) ?? true) ? o.offers?.[q.id] : undefined) ?? q.default?.(answers);

export async function collectAnswers(o: CollectOptions, questions: readonly Question[] = QUESTIONS): Promise<Collected> {
  const collected: Collected = { answers: {}, missing: [], refused: [] };
  for (const q of questions) await answer(q, o, collected);
  return collected;
}

/**
 * Takes one question's answer: asked on a terminal until the check accepts it (a flag's value is
 * checked first, as if typed); otherwise its flag, preset or default, noting a refusal or a gap.
 * `reask`: the answer was refused by the whole config's check, so it is asked whatever a flag said.
 */
export async function answer(q: Question, o: CollectOptions, collected: Collected, reask = false): Promise<void> {
  const { answers } = collected;
  const set = (value: unknown) => ((answers as Record<string, unknown>)[q.id] = value);
  const applies = q.when?.(answers) ?? true;
  const flag = o.flags[q.flag]?.length && applies ? o.flags[q.flag] : undefined;
  if (o.flags[q.flag]?.length && !applies) {
    collected.refused.push({
      q,
      messages: ["does not apply to the other answers (a staging stack sends no mail and takes its zone from --from, for instance): remove it"],
    });
  }
  if (!o.prompter || q.flagOnly || !applies) {
    const fallback = fallbackOf(q, o, answers);
    const taken: Taken = flag ? parsed(q, flag) : { value: fallback ?? empty(q) };
    if ("retry" in taken) {
      set(empty(q));
      collected.refused.push({ q, messages: [taken.retry] });
      return;
    }
    set(taken.value);
    if (!applies) return;
    if (!flag && fallback === undefined && !q.optional) return void collected.missing.push(q);
    // Without prompts the whole config is checked once at the end, so every problem is listed together.
    const messages = o.prompter ? [...o.problems(q, answers), ...((await o.after?.(q, answers)) ?? [])] : ((await o.after?.(q, answers)) ?? []);
    if (messages.length) collected.refused.push({ q, messages });
    return;
  }
  const review = async (): Promise<string[]> => [...o.problems(q, answers), ...((await o.after?.(q, answers)) ?? [])];
  let pending = reask ? undefined : flag;
  for (;;) {
    const taken = pending ? parsed(q, pending) : await typed(q, o, answers);
    pending = undefined;
    if ("retry" in taken) {
      o.out.write(`  ${taken.retry}\n`);
      continue;
    }
    set(taken.value);
    const messages = await review();
    if (!messages.length) return;
    for (const m of messages) o.out.write(`  - ${m}\n`);
  }
}

/** One prompt, its fallback in brackets: a blank line takes it (or nothing, for an optional answer); "none" empties a list. */
async function typed(q: Question, o: CollectOptions, answers: Answers): Promise<Taken> {
  const fallback = fallbackOf(q, o, answers);
  const hasFallback = fallback !== undefined && !(Array.isArray(fallback) && fallback.length === 0);
  const shown = hasFallback ? ` [${(q.format as (v: unknown) => string)(fallback)}]` : "";
  const prompter = o.prompter!;
  const values: string[] = [];
  if (q.list === "lines") {
    for (;;) {
      const line = (await prompter.ask(values.length ? "  next one (blank when done): " : `? ${q.prompt}${shown}: `)).trim();
      if (line === "") break;
      values.push(line);
    }
  } else {
    const line = (await prompter.ask(`? ${q.prompt}${shown}: `)).trim();
    if (line === "none" && q.list) return { value: [] };
    if (line !== "") values.push(...(q.list === "words" ? line.split(/[\s,]+/).filter(Boolean) : [line]));
  }
  if (values.length) return parsed(q, values);
  if (hasFallback) return { value: fallback };
  if (q.optional) return { value: empty(q) };
  return { retry: "needs an answer" };
}
