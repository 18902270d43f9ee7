// Design: what the error log and the access log hand to syslog when `--log-syslog` is on: one
// sender per process and log, tagged `narwhal.PREFIX.error` or `narwhal.PREFIX.access` as
// Gunicorn tags `gunicorn.PREFIX.*`. The prefix is `--log-syslog-prefix`, else the process
// name (`--name`, else the app), with `:` made `.` as Gunicorn does.

import type { PlainSettings } from '../config/types.js';
import { parseSyslogAddress, SyslogSender, SYSLOG_FACILITIES, SYSLOG_SEVERITIES, syslogFrame } from './syslog.js';

export type SyslogSettings = Pick<PlainSettings, 'syslog' | 'syslogAddr' | 'syslogPrefix' | 'syslogFacility' | 'procName' | 'app'>;

export interface SyslogSink {
  /** One line at a level label (`INFO`, `ERROR`…). */
  write(level: string, message: string): void;
  close(): void;
}

/** The sink for `log` ('error' or 'access'), or null when syslog is off. */
export function createSyslogSink(settings: Partial<SyslogSettings>, log: 'error' | 'access'): SyslogSink | null {
  if (settings.syslog !== true || settings.syslogAddr === undefined) return null;
  const sender = new SyslogSender(parseSyslogAddress(settings.syslogAddr));
  const facility = SYSLOG_FACILITIES[settings.syslogFacility ?? 'user'] ?? 1;
  const prefix = settings.syslogPrefix ?? (settings.procName ?? settings.app ?? 'narwhal').replaceAll(':', '.');
  const tag = `narwhal.${prefix}.${log}`;
  return {
    write: (level, message) => sender.send(syslogFrame(facility, SYSLOG_SEVERITIES[level] ?? 6, tag, process.pid, message)),
    close: () => sender.close(),
  };
}
