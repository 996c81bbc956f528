/** @little-monster/ui: the study app's interface, mounted over a transport to the engine. */
export { mountApp } from './mount';
export { createWebSocketTransport, TOKEN_REFUSED_MESSAGE } from './transport/websocket-transport';
export type { WebSocketLike, WebSocketTransportOptions } from './transport/websocket-transport';
export { createBridgeTransport } from './transport/bridge-transport';
export { createEngineClient, RpcCallError, isRpcCallError, toFieldIssues } from './transport/client';
export type { CallArgs, EngineClient } from './transport/client';
export { engineSocketUrl, takeAccessToken } from './transport/browser-token';
export type { ConnectionReason, ConnectionState, EngineBridge, Transport } from './transport/types';
export { upcoming } from './features/dashboard/upcoming';
export type { Upcoming, UpcomingExam, UpcomingMeeting, UpcomingOptions } from './features/dashboard/upcoming';
export type { PdfDocumentView, PdfSupport } from './features/library/viewer/pdf-support';
