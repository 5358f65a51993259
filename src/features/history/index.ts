import type { Feature } from '../../app/feature.js';
import { historyFor } from './history.js';

/** History: the changes PlanPulse made to a task, from the Plan Updates list. */
export const history: Feature = {
  name: 'history',
  commands: [
    {
      words: ['history', 'hanes'],
      takesArgument: true,
      help: 'help.history',
      async handle(deps, { actor, argument }) {
        if (!argument) return { text: 'Which task? Type history followed by its reference, for example: history AFI1-T3' };
        const found = await historyFor(argument, actor, deps);
        return 'refusal' in found ? { text: found.refusal } : { card: found.card };
      },
    },
  ],
};
