import { createHash, randomUUID } from 'node:crypto';
import type { Actor, AppDeps } from '../app/context.js';
import type { CardVerb, Feature } from '../app/feature.js';
import type { ActionOutcome } from '../app/outcomes.js';
import { myTasksCardAfter } from '../app/my-tasks.js';
import { processedActions } from '../app/processed-actions.js';

/** How long a repeated identical invoke is taken for Teams retrying the same click. */
export const REPLAY_WINDOW_MS = 10 * 60_000;

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object')
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${stableJson((value as Record<string, unknown>)[k])}`).join(',')}}`;
  return JSON.stringify(value);
}

/**
 * The one place card verbs are routed, built from the verbs the features register. Every payload is parsed with
 * its zod schema before a handler sees it. Writing verbs are idempotent: Teams retries an invoke it thinks timed
 * out, so the same actor sending the same data again gets the first answer back and nothing is written twice.
 */
export class CardVerbRouter {
  private readonly routes = new Map<string, CardVerb>();
  private readonly inFlight = new Map<string, Promise<ActionOutcome>>();

  constructor(
    private readonly deps: AppDeps,
    features: Feature[],
  ) {
    for (const verb of features.flatMap((f) => f.verbs ?? [])) {
      if (this.routes.has(verb.verb)) throw new Error(`Card verb "${verb.verb}" is registered twice`);
      this.routes.set(verb.verb, verb);
    }
  }

  async execute(verb: unknown, data: unknown, actor: Actor): Promise<ActionOutcome> {
    const route = typeof verb === 'string' ? this.routes.get(verb) : undefined;
    if (!route) return { kind: 'error', status: 400, message: `PlanPulse does not know the action "${String(verb).slice(0, 40)}". The card may be out of date: type "my tasks" for a fresh one.` };
    const parsed = route.schema.safeParse(data ?? {});
    if (!parsed.success) {
      const problems = parsed.error.issues.map((i) => `${i.path.join('.') || 'data'}: ${i.message}`).join('; ');
      return { kind: 'error', status: 400, message: `This card sent data PlanPulse cannot use (${problems}). Nothing was changed.` };
    }
    if (!route.idempotent) return route.handle(this.deps, parsed.data, actor, { actionId: randomUUID() });

    const id = createHash('sha256').update(stableJson({ verb, actor: actor.aadObjectId, data: parsed.data })).digest('hex');
    const running = this.inFlight.get(id);
    if (running) return running;
    const run = (async () => {
      const done = await processedActions.get(this.deps.store, id);
      // Teams retries within seconds; the same click days later (snooze again) is a new action.
      if (done && this.deps.clock.now().getTime() - Date.parse(done.at) < REPLAY_WINDOW_MS) {
        if (done.taskListNotice) return { kind: 'card', updateMessage: true, card: await myTasksCardAfter(this.deps, actor, done.taskListNotice), taskListNotice: done.taskListNotice } as ActionOutcome;
        if (done.outcome) return done.outcome;
      }
      const outcome = await route.handle(this.deps, parsed.data, actor, { actionId: id });
      const at = this.deps.clock.now().toISOString();
      await processedActions.put(this.deps.store, id, outcome.kind === 'card' && outcome.taskListNotice ? { at, taskListNotice: outcome.taskListNotice } : { at, outcome });
      return outcome;
    })().finally(() => this.inFlight.delete(id));
    this.inFlight.set(id, run);
    return run;
  }
}
