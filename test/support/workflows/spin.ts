// A workflow that runs synchronously for a while (the watchdog test): a loop of arithmetic, since
// the workflow's clock stands still during a task.
export async function spin(iterations: number): Promise<number> {
  let x = 0;
  for (let i = 0; i < iterations; i += 1) x += Math.sqrt(i) % 1;
  return Promise.resolve(Math.round(x));
}
