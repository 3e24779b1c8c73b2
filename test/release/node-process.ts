import { spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { waitFor } from '../fakes/wait-for';

/**
 * A built entry point (`dist/…/main.js`) run with `node` as its own child process, the way a
 * container or `npm start` runs it. Output is kept (and shown when a check fails); tests await
 * lines of it, or the exit, as events.
 */
export class NodeProcess extends EventEmitter {
  output = '';
  exit?: { code: number | null; signal: NodeJS.Signals | null };
  private readonly child: ChildProcess;

  constructor(
    readonly name: string,
    readonly entry: string,
    env: Record<string, string>,
    nodeArgs: string[] = [],
  ) {
    super();
    this.child = spawn(process.execPath, [...nodeArgs, entry], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const collect = (chunk: Buffer) => {
      this.output += chunk.toString('utf8');
      this.emit('output');
    };
    this.child.stdout?.on('data', collect);
    this.child.stderr?.on('data', collect);
    this.child.on('exit', (code, signal) => {
      this.exit = { code, signal };
      this.emit('output');
    });
  }

  /** The process id (for reading its CPU time and its children's from /proc). */
  get pid(): number {
    return this.child.pid!;
  }

  /** Resolves when the output matches `pattern`; rejects if the process exits first. */
  async waitForOutput(pattern: RegExp, timeoutMs = 60_000): Promise<void> {
    await waitFor(
      this,
      'output',
      () => {
        if (pattern.test(this.output)) return true;
        if (this.exit) throw new Error(`${this.name} exited (${JSON.stringify(this.exit)}):\n${this.tail()}`);
        return false;
      },
      { timeoutMs, description: `${this.name} to print ${pattern}` },
    );
  }

  /** The last lines of output, for failure messages. */
  tail(chars = 4000): string {
    return this.output.slice(-chars);
  }

  /** SIGTERM, as an orchestrator stops a container; SIGKILL if it does not exit in time. */
  async stop(timeoutMs = 15_000): Promise<void> {
    if (this.exit) return;
    this.child.kill('SIGTERM');
    try {
      await waitFor(this, 'output', () => Boolean(this.exit), {
        timeoutMs,
        description: `${this.name} to exit`,
      });
    } catch {
      this.child.kill('SIGKILL');
      await waitFor(this, 'output', () => Boolean(this.exit), { timeoutMs: 5000 });
    }
  }
}
