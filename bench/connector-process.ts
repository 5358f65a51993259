/** The local Bot Framework connector in its own process (Teams' connector is not on the bot's CPU either). */
import { FakeConnector } from '../test/helpers/connector.js';

const connector = await new FakeConnector().start();
process.stdout.write(`${JSON.stringify({ url: connector.url })}\n`);
process.on('SIGTERM', () => void connector.stop().then(() => process.exit(0)));
