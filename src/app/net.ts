import type { Server } from 'node:net';

/** Listens, failing with a message that names the port when it is taken. */
export function listen(server: Server, port: number, host: string, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) =>
      reject(e.code === 'EADDRINUSE' ? new Error(`Port ${port} on ${host} is already in use, so ${what} cannot start. Stop whatever uses it (another PlanPulse?) or choose another port in .env.`) : e),
    );
    server.listen(port, host, () => resolve());
  });
}
