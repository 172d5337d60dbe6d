/**
 * Named points where a test can make the process die at an exact moment (between two steps that
 * must survive a crash), set with KEEL_FAILPOINTS=name,name. Never active in production.
 */
let enabled = new Set<string>();

export function configureFailpoints(names: readonly string[], environment: string): void {
  enabled = environment === 'production' ? new Set() : new Set(names);
}

export function failpoint(name: string): void {
  if (enabled.has(name)) process.kill(process.pid, 'SIGKILL');
}
