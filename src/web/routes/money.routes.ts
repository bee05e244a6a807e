import type { WebRouter } from '../web.plugin';

export function moneyRoutes(_r: WebRouter): void {}
