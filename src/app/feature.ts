import type { z } from 'zod';
import type { PlanConfig } from '../config/plan.js';
import type { Actor, AppDeps } from './context.js';
import type { ChatFile } from './ports.js';
import type { ActionOutcome, CommandReply } from './outcomes.js';
import type { Lang } from './i18n.js';

/** An Action.Execute verb a feature's cards use; its data is parsed with `schema` before `handle` sees it. */
export interface CardVerb<S extends z.ZodType = z.ZodType> {
  verb: string;
  schema: S;
  /** Writing verbs: a retried invoke with the same data gets the first answer back and writes nothing twice. */
  idempotent?: boolean;
  /** `actionId` is the same for Teams' retries of one click (idempotent verbs), so a write can be traced to it. */
  handle(deps: AppDeps, data: z.infer<S>, actor: Actor, context: { actionId: string }): Promise<ActionOutcome>;
}

export function cardVerb<S extends z.ZodType>(verb: CardVerb<S>): CardVerb {
  return verb as unknown as CardVerb;
}

/** A command typed in the 1:1 chat: its words, whether a reference or text follows them, and a line of help. */
export interface ChatCommand {
  words: string[];
  /** Its line in `help` (a key in locales/), in the order features are registered. */
  help: string;
  takesArgument?: boolean;
  /**
   * Reads any text no command word matched (the whole message as `argument`); answers undefined when it is not for
   * this command, so the next one (and finally help) can answer.
   */
  freeText?: boolean;
  /** Answers every message that carries files (with its whole text as `argument`), before any command word. */
  takesFiles?: boolean;
  handle(deps: AppDeps, input: { actor: Actor; argument: string; message?: ChatMessage }): Promise<CommandReply | undefined>;
}

/** A message typed in the 1:1 chat: its text, the files sent with it, and its id (the same when Teams redelivers it). */
export interface ChatMessage {
  text: string;
  files: ChatFile[];
  /** Pictures pasted into the message (not sent as files): Teams gives the bot no file to store for them. */
  pastedPictures: number;
  id?: string;
}

export type ScheduleKey = Exclude<keyof PlanConfig['schedule'], 'quietHours'>;

/** A scheduled job: run by node-cron on the leader instance, or now with `planpulse run <name>`. */
export interface Job {
  name: string;
  schedule: ScheduleKey;
  /** Jobs that message people wait out the quiet hours. */
  messagesPeople: boolean;
  /** `lang` is the language of the report (the CLI's; the scheduler's logs are in English). */
  run(deps: AppDeps, options: { dryRun: boolean; lang?: Lang }): Promise<JobRun>;
}

/** What a run did, as text, and how many people it failed to reach for reasons that may pass (tried again later). */
export interface JobRun {
  report: string;
  failed: number;
}

/** What a feature brings to the app: its card verbs, chat commands and jobs. */
export interface Feature {
  name: string;
  verbs?: CardVerb[];
  commands?: ChatCommand[];
  jobs?: Job[];
}
