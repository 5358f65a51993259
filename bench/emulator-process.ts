/**
 * The Graph emulator in its own process, seeded with a large plan, so a benchmark measures the bot's memory alone.
 * Prints one JSON line {port, cert, plan} when ready; controlled through /_emulator/* (throttle, faults, stats).
 */
import { GraphEmulator } from '../src/local/graph-emulator/server.js';
import { seedLargePlan } from '../test/helpers/large-plan.js';

const [lists, items, people] = process.argv.slice(2).map(Number);
const emulator = await new GraphEmulator({ data: { sites: [], users: [] } }).start();
const plan = seedLargePlan(emulator, { lists: lists ?? 5, items: items ?? 10_000, people: people ?? 200 });
process.stdout.write(`${JSON.stringify({ port: emulator.port, cert: emulator.certificate, plan })}\n`);
process.on('SIGTERM', () => void emulator.stop().then(() => process.exit(0)));
