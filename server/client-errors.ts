/**
 * Requests Node's HTTP parser refuses before express sees them — a URL or headers past the 16 KB
 * header limit, a malformed request line — get the API's JSON error too, not a bare status line.
 */
import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Express } from 'express';
import { ApiError, errorBody } from './errors';

function answer(err: NodeJS.ErrnoException, socket: Duplex) {
  if (err.code === 'ECONNRESET' || !socket.writable) return void socket.destroy();
  const e =
    err.code === 'HPE_HEADER_OVERFLOW'
      ? new ApiError('HEADERS_TOO_LARGE', 'The request line and headers are too large (at most 16 KB): shorten the URL or the headers.')
      : new ApiError('VALIDATION_FAILED', 'The HTTP request is malformed.', [{ path: '(request)', message: '请求格式不正确。', en: String(err.code ?? 'malformed') }]);
  const body = JSON.stringify(errorBody(e));
  const reason = e.status === 431 ? 'Request Header Fields Too Large' : 'Bad Request';
  socket.end(`HTTP/1.1 ${e.status} ${reason}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n${body}`);
}

/** Make every server the app listens on (server/main.ts, api-main.ts, the tests) answer parser errors as JSON. */
export function jsonClientErrors(app: Express): void {
  const listen = app.listen.bind(app) as (...args: unknown[]) => Server;
  app.listen = ((...args: unknown[]) => {
    const server = listen(...args);
    server.on('clientError', answer);
    return server;
  }) as Express['listen'];
}
