/** The process exit codes of every command (jobs/CONTEXT.md). */
export const EXIT = { ok: 0, failed: 1, partial: 2, locked: 3, usage: 64 } as const;
