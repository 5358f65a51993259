import { createServer, type Server } from 'node:http';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import type { Logger } from '../app/log.js';
import { listen } from '../app/net.js';
import { activityProblem, type MessagesHandler } from '../interactions/teams-turns.js';

/** The bot's HTTP endpoint: POST /api/messages for the Bot Framework, GET /healthz for probes. */
export async function startBotServer(options: { handleMessages: MessagesHandler; host: string; port: number; log: Logger; local?: Router }): Promise<Server> {
  const app = express();
  app.disable('x-powered-by');
  app.use(express.json({ limit: '512kb' }));
  app.get('/healthz', (_req, res) => void res.json({ ok: true }));
  app.post('/api/messages', (req, res, next) => {
    // A malformed activity is the sender's mistake: 400 with a short reason, before any SDK or handler sees it.
    const problem = activityProblem(req.body);
    if (problem) return void res.status(400).json({ error: `Malformed activity: ${problem}` });
    options.handleMessages(req, res).catch(next);
  });
  if (options.local) app.use('/local', options.local);
  app.use((err: Error & { status?: number; type?: string }, _req: Request, res: Response, _next: NextFunction) => {
    if (res.headersSent) return;
    const status = err.status && err.status < 500 ? err.status : 500;
    if (status === 500) options.log.error({ err }, 'request failed');
    res.status(status).json({ error: status === 400 ? `Malformed request: ${err.type === 'entity.parse.failed' ? 'the body is not valid JSON' : err.message}` : 'Internal error' });
  });
  const server = createServer(app);
  await listen(server, options.port, options.host, 'the bot');
  return server;
}
