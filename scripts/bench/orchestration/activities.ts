// The step of `npm run bench orchestration`: no work, so only Temporal's cost remains.
export function noop(step: number): Promise<number> {
  return Promise.resolve(step);
}
