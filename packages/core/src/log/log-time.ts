// Design: both logs print local time with its UTC offset, as Gunicorn does. The rendered
// strings are cached per second, so the access log formats a date once a second, not once a line.

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

const pad = (value: number): string => (value < 10 ? `0${value}` : String(value));

function offset(date: Date): string {
  const minutes = -date.getTimezoneOffset();
  const sign = minutes < 0 ? '-' : '+';
  const absolute = Math.abs(minutes);
  return `${sign}${pad(Math.floor(absolute / 60))}${pad(absolute % 60)}`;
}

let logSecond = -1;
let logText = '';

/** `2026-11-23 12:00:00 +0000`, the error log's time. */
export function formatLogTime(epochMs: number): string {
  const second = Math.floor(epochMs / 1000);
  if (second !== logSecond) {
    const date = new Date(epochMs);
    logText = `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())} ${offset(date)}`;
    logSecond = second;
  }
  return logText;
}

let accessSecond = -1;
let accessText = '';

/** `[10/Oct/2000:13:55:36 -0700]`, the access log's `%(t)s`. */
export function formatAccessTime(epochMs: number): string {
  const second = Math.floor(epochMs / 1000);
  if (second !== accessSecond) {
    const date = new Date(epochMs);
    accessText = `[${pad(date.getDate())}/${MONTHS[date.getMonth()]}/${date.getFullYear()}:${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())} ${offset(date)}]`;
    accessSecond = second;
  }
  return accessText;
}
