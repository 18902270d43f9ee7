// Design: both logs print local time with its UTC offset, as Gunicorn does. Each rendering is
// cached per second, so the access log formats a date once a second, not once a line.

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

const pad = (value: number): string => (value < 10 ? `0${value}` : String(value));

function offset(date: Date): string {
  const minutes = -date.getTimezoneOffset();
  const absolute = Math.abs(minutes);
  return `${minutes < 0 ? '-' : '+'}${pad(Math.floor(absolute / 60))}${pad(absolute % 60)}`;
}

/** Wraps a date renderer so that it runs at most once per second of input time. */
function cachedPerSecond(render: (date: Date) => string): (epochMs: number) => string {
  let second = -1;
  let text = '';
  return (epochMs) => {
    const current = Math.floor(epochMs / 1000);
    if (current !== second) {
      text = render(new Date(epochMs));
      second = current;
    }
    return text;
  };
}

const clock = (date: Date): string => `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())} ${offset(date)}`;

/** `2026-11-23 12:00:00 +0000`, the error log's time. */
export const formatLogTime = cachedPerSecond((date) => `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${clock(date)}`);

/** `[10/Oct/2000:13:55:36 -0700]`, the access log's `%(t)s`. */
export const formatAccessTime = cachedPerSecond((date) => `[${pad(date.getDate())}/${MONTHS[date.getMonth()]}/${date.getFullYear()}:${clock(date)}]`);
