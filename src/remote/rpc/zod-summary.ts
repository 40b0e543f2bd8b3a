import type * as z from 'zod';

/** "path: expected string; limit: too big" — the first few problems of a failed parse. */
export function zodSummary(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => (issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message))
    .join('; ');
}
