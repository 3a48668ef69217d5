/**
 * Runs `fn` at most once per `ms`. A call inside the quiet period is not dropped but deferred to its
 * end, once however many calls came: the last change is always followed by a run.
 */
export function throttle(fn: () => void, ms: number, now: () => number = Date.now): () => void {
  let last = -Infinity;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const run = () => {
    timer = undefined;
    last = now();
    fn();
  };
  return () => {
    if (timer !== undefined) return;
    const wait = last + ms - now();
    if (wait <= 0) run();
    else timer = setTimeout(run, wait);
  };
}
