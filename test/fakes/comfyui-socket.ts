import { randomUUID } from 'node:crypto';
import type { EventEmitter } from 'node:events';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';

/*
 * The ComfyUI fake's WebSocket side (server.py `websocket_handler` / `send_sync`): `/ws?clientId=`
 * (a missing clientId gets a generated sid), a `status` frame with `sid` on connect, messages
 * addressed to the prompt's client_id, `status` broadcast to everyone. Emits on the owning fake:
 * 'ws-connection' / 'ws-close' (clientId), 'ws-message' ({clientId, type, data}), 'ws-dropped'.
 */
export class ComfySocketHub {
  /** Every text frame sent, in order, with the clientId it went to (`null` = broadcast). */
  readonly sent: Array<{ clientId: string | null; type: string; data: Record<string, unknown> }> = [];
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly sockets = new Map<string, Set<WebSocket>>();
  private dropAfter?: number;

  constructor(
    server: Server,
    private readonly events: EventEmitter,
    private readonly greeting: () => Record<string, unknown>,
  ) {
    server.on('upgrade', (req, socket, head) => this.upgrade(req, socket, head));
  }

  /** Client ids with an open socket. */
  get connectedClients(): string[] {
    return [...this.sockets.entries()].filter(([, set]) => set.size > 0).map(([id]) => id);
  }

  /** The next socket to receive `count` more frames (text or binary) is then terminated. */
  dropAfterFrames(count: number): void {
    this.dropAfter = count;
  }

  send(clientId: string | null, type: string, data: Record<string, unknown>): void {
    this.sent.push({ clientId, type, data });
    const text = JSON.stringify({ type, data });
    for (const socket of this.targets(clientId)) this.deliver(socket, text);
    this.events.emit('ws-message', { clientId, type, data });
  }

  sendBinary(clientId: string | null, frame: Buffer): void {
    for (const socket of this.targets(clientId)) this.deliver(socket, frame);
  }

  close(): void {
    for (const client of this.wss.clients) client.terminate();
    this.wss.close();
  }

  private targets(clientId: string | null): WebSocket[] {
    const sets =
      clientId === null ? [...this.sockets.values()] : [this.sockets.get(clientId) ?? new Set<WebSocket>()];
    return sets.flatMap((set) => [...set]).filter((socket) => socket.readyState === WebSocket.OPEN);
  }

  private deliver(socket: WebSocket, frame: string | Buffer): void {
    socket.send(frame);
    if (this.dropAfter !== undefined && --this.dropAfter <= 0) {
      this.dropAfter = undefined;
      socket.terminate();
      this.events.emit('ws-dropped');
    }
  }

  private upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const target = new URL(req.url ?? '/', 'http://fake.invalid');
    if (target.pathname !== '/ws') return void socket.destroy();
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      const clientId = target.searchParams.get('clientId') ?? randomUUID().replace(/-/g, '');
      const set = this.sockets.get(clientId) ?? new Set<WebSocket>();
      set.add(ws);
      this.sockets.set(clientId, set);
      ws.on('close', () => {
        set.delete(ws);
        this.events.emit('ws-close', clientId);
      });
      ws.on('error', () => undefined);
      this.deliver(ws, JSON.stringify({ type: 'status', data: { ...this.greeting(), sid: clientId } }));
      this.events.emit('ws-connection', clientId);
    });
  }
}
