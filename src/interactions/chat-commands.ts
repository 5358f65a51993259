import { messageCard } from '../app/cards/views.js';
import type { AdaptiveCard } from '../app/cards/templates.js';
import type { Actor, AppDeps } from '../app/context.js';
import type { ChatCommand, ChatMessage, Feature } from '../app/feature.js';
import type { CommandReply } from '../app/outcomes.js';

/** What PlanPulse can do, from the commands the features register. */
export function helpCard(features: Feature[], prefix?: string): AdaptiveCard {
  const help = [
    ...features.flatMap((f) => f.commands ?? []).map((c) => c.help),
    '**help** — this list.',
    'Each morning on working days PlanPulse sends you one card with anything overdue, due soon, complete without evidence, or not updated for a while.',
  ].join('\n\n');
  return messageCard('PlanPulse keeps your improvement-plan tasks moving', `${prefix ? `${prefix}\n\n` : ''}${help}`);
}

const normalise = (text: string) => text.replace(/<at>.*?<\/at>/g, '').trim().replace(/\s+/g, ' ');

/**
 * The chat-command table, built from the commands the features register, plus `help`, which lists them. Unknown
 * text gets help, never silence.
 */
export class ChatCommands {
  private readonly commands: ChatCommand[];

  constructor(
    private readonly deps: AppDeps,
    private readonly features: Feature[],
  ) {
    this.commands = features.flatMap((f) => f.commands ?? []);
  }

  helpCard(prefix?: string): AdaptiveCard {
    return helpCard(this.features, prefix);
  }

  async answer(message: ChatMessage | string, actor: Actor): Promise<CommandReply> {
    const { text } = typeof message === 'string' ? { text: message } : message;
    const typed = normalise(text);
    if (typeof message !== 'string' && (message.files.length || message.pastedPictures)) {
      const command = this.commands.find((c) => c.takesFiles);
      const reply = command && (await command.handle(this.deps, { actor, argument: typed, message }));
      if (reply) return reply;
    }
    const lower = typed.toLowerCase();
    if (lower === 'help' || lower === '?') return { card: this.helpCard() };
    const fallback = (): CommandReply => ({ card: this.helpCard(`I didn't understand "${text.trim().slice(0, 60)}". Here is what I can do:`) });
    for (const command of this.commands)
      for (const word of command.words) {
        if (lower === word) return (await command.handle(this.deps, { actor, argument: '' })) ?? fallback();
        if (command.takesArgument && lower.startsWith(`${word} `)) return (await command.handle(this.deps, { actor, argument: typed.slice(word.length).trim() })) ?? fallback();
      }
    for (const command of this.commands.filter((c) => c.freeText)) {
      const reply = await command.handle(this.deps, { actor, argument: typed });
      if (reply) return reply;
    }
    return fallback();
  }
}
