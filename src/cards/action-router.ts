import { createHash } from 'node:crypto';
import type { z } from 'zod';
import type { Actor } from '../app.js';
import type { StateStore } from '../state/store.js';
import type { AdaptiveCard } from './templates.js';

/** What a card action answers: a card that replaces the clicked one, or an error Teams shows to the user. */
export type ActionOutcome =
  | { kind: 'card'; card: AdaptiveCard; /** also replace the original message for everyone */ updateMessage?: boolean }
  | { kind: 'error'; status: 400 | 403 | 404 | 500; message: string };

/** A processed action, kept so a retried invoke gets the same answer; swept after a week (jobs/housekeeping). */
export interface ActionRecord {
  at: string;
  outcome: ActionOutcome;
}

export const ACTION_RECORDS = 'actions/';

type Handler<T> = (data: T, actor: Actor) => Promise<ActionOutcome>;

interface Route {
  schema: z.ZodType;
  handler: Handler<unknown>;
  idempotent: boolean;
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object')
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${stableJson((value as Record<string, unknown>)[k])}`).join(',')}}`;
  return JSON.stringify(value);
}

/**
 * The one place card verbs are routed. Every payload is parsed with its zod schema before a handler sees it.
 * Writing verbs are idempotent: Teams retries an invoke it thinks timed out, so the same actor sending the same
 * data again gets the first answer back and nothing is written twice.
 */
export class CardActionRouter {
  private readonly routes = new Map<string, Route>();
  private readonly inFlight = new Map<string, Promise<ActionOutcome>>();

  constructor(
    private readonly store: StateStore,
    private readonly now: () => Date = () => new Date(),
  ) {}

  on<S extends z.ZodType>(verb: string, schema: S, handler: Handler<z.infer<S>>, options: { idempotent?: boolean } = {}): this {
    this.routes.set(verb, { schema, handler: handler as Handler<unknown>, idempotent: options.idempotent ?? false });
    return this;
  }

  async execute(verb: unknown, data: unknown, actor: Actor): Promise<ActionOutcome> {
    const route = typeof verb === 'string' ? this.routes.get(verb) : undefined;
    if (!route) return { kind: 'error', status: 400, message: `PlanPulse does not know the action "${String(verb).slice(0, 40)}". The card may be out of date: type "my tasks" for a fresh one.` };
    const parsed = route.schema.safeParse(data ?? {});
    if (!parsed.success) {
      const problems = parsed.error.issues.map((i) => `${i.path.join('.') || 'data'}: ${i.message}`).join('; ');
      return { kind: 'error', status: 400, message: `This card sent data PlanPulse cannot use (${problems}). Nothing was changed.` };
    }
    if (!route.idempotent) return route.handler(parsed.data, actor);

    const key = `${ACTION_RECORDS}${createHash('sha256').update(stableJson({ verb, actor: actor.aadObjectId, data: parsed.data })).digest('hex')}`;
    const running = this.inFlight.get(key);
    if (running) return running;
    const run = (async () => {
      const done = await this.store.get<ActionRecord>(key);
      if (done) return done.outcome;
      const outcome = await route.handler(parsed.data, actor);
      await this.store.put<ActionRecord>(key, { at: this.now().toISOString(), outcome });
      return outcome;
    })().finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, run);
    return run;
  }
}
