import type { FastifyReply } from 'fastify';

/** A one-sentence page for links opened in a browser (email confirmation, sign-in callback). */
export function htmlPage(reply: FastifyReply, status: number, text: string) {
  return reply
    .status(status)
    .type('text/html; charset=utf-8')
    .header('content-security-policy', "default-src 'none'")
    .send(`<!doctype html><meta charset="utf-8"><title>Little Monster</title><p>${escapeHtml(text)}</p>`);
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
