// Five-field cron expressions (minute hour day-of-month month day-of-week), as Temporal
// schedules read them: each field a comma list of `*`, `*/n`, `a`, `a-b` or `a-b/n`; months
// and weekdays also by English abbreviation (JAN, MON); weekday 0 and 7 are both Sunday.

interface CronField {
  name: string;
  min: number;
  max: number;
  names?: readonly string[];
}

const FIELDS: readonly CronField[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'] },
  { name: 'day of week', min: 0, max: 7, names: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] },
];

const ITEM = /^(\*|[0-9A-Za-z]+(?:-[0-9A-Za-z]+)?)(?:\/(\d+))?$/;

/** Why `expression` is not a valid five-field cron expression, or undefined when it is. */
export function cronProblem(expression: string): string | undefined {
  const fields = expression.trim().split(/\s+/);
  if (expression.length > 200 || fields.length !== FIELDS.length) {
    return `expected 5 fields (minute hour day-of-month month day-of-week), e.g. "*/15 9-17 * * MON-FRI"`;
  }
  for (const [i, field] of FIELDS.entries()) {
    const problem = fieldProblem(fields[i] ?? '', field);
    if (problem) return `${field.name} "${fields[i]}": ${problem}`;
  }
  return undefined;
}

function fieldProblem(text: string, field: CronField): string | undefined {
  for (const item of text.split(',')) {
    const match = ITEM.exec(item);
    if (!match) return `"${item}" is not *, */n, a value, a range a-b or a-b/n`;
    const [, range = '', step] = match;
    let low = field.min;
    let high = field.max;
    if (range !== '*') {
      const [from = '', to] = range.split('-');
      const a = value(from, field);
      const b = to === undefined ? a : value(to, field);
      if (a === undefined || b === undefined) return `"${item}" is outside ${field.min}-${field.max}`;
      if (a > b) return `range "${range}" runs backwards`;
      if (step !== undefined && to === undefined) return `"${item}": a step needs * or a range before it`;
      [low, high] = [a, b];
    }
    if (step !== undefined && (Number(step) < 1 || Number(step) > high - low + 1)) {
      return `step "/${step}" must be between 1 and ${high - low + 1}`;
    }
  }
  return undefined;
}

function value(text: string, field: CronField): number | undefined {
  const named = field.names?.indexOf(text.toUpperCase()) ?? -1;
  const n = named >= 0 ? named + (field.min === 1 ? 1 : 0) : /^\d{1,2}$/.test(text) ? Number(text) : NaN;
  return Number.isInteger(n) && n >= field.min && n <= field.max ? n : undefined;
}
