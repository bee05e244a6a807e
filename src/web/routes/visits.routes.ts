import type { WebRouter } from '../web.plugin';

export function visitRoutes(_r: WebRouter): void {}
