// Design: Gunicorn's parser leniency switches, each off by default. What a worker class can
// honour depends on its engine's parser, which reads the bytes before any JavaScript does: a
// class declares, per switch, why it cannot, and refuses a switch that is on in its checkConfig,
// so a setting is never silently without effect. What can be honoured is done in
// checkRequestHead (any token method) and by the class (upper-casing the method).
// apps/docs/http-conformance.md#leniency-switches has the table.

import { NarwhalError } from '../errors.js';
import { SETTINGS } from '../config/settings.js';
import type { PlainSettings } from '../config/types.js';

export type LeniencySwitch = 'permitObsoleteFolding' | 'stripHeaderSpaces' | 'permitUnconventionalHttpMethod' | 'permitUnconventionalHttpVersion' | 'casefoldHttpMethod';

/** Per switch, why an engine cannot honour it; a switch left out is honoured. */
export type LeniencyRefusals = Readonly<Partial<Record<LeniencySwitch, string>>>;

/**
 * llhttp in node:http (sync, gthread, async). Its one lenient mode, `insecureHTTPParser`, is all
 * or nothing: with obs-fold and other versions it also accepts bare CR and LF line ends and loose
 * chunk framing, which JavaScript never sees and so cannot refuse afterwards.
 */
export const LLHTTP_REFUSALS: LeniencyRefusals = {
  permitObsoleteFolding: "node:http's parser (llhttp) refuses obs-fold before JavaScript runs, and its one lenient mode would also accept bare line ends (request smuggling)",
  stripHeaderSpaces: "node:http's parser (llhttp) refuses whitespace before the colon before JavaScript runs, even in its lenient mode",
  permitUnconventionalHttpMethod: "node:http's parser (llhttp) accepts only the methods of http.METHODS and refuses any other before JavaScript runs; -k uws honours it",
  permitUnconventionalHttpVersion: "node:http's parser (llhttp) refuses versions other than 0.9, 1.0, 1.1 and 2.0 before JavaScript runs, and its one lenient mode would also accept bare line ends (request smuggling)",
};

/** Throws NARWHAL_E_SETTING for the first switch that is on and that `refusals` says the class cannot honour. */
export function refuseParserLeniency(settings: Readonly<Pick<PlainSettings, LeniencySwitch>>, className: string, refusals: LeniencyRefusals): void {
  for (const key of Object.keys(refusals) as LeniencySwitch[]) {
    if (settings[key]) throw new NarwhalError('NARWHAL_E_SETTING', `${SETTINGS[key].flags[0]}: -k ${className} cannot honour it: ${refusals[key]}`);
  }
}
