import { useEffect, useState } from 'react';

/**
 * Returns `value`, but a change shows only after the browser has painted the frame that
 * followed it. A costly render that depends on the value (the preview table of a wide mapping)
 * then never delays the frame that shows an edit on the canvas. React's `useDeferredValue`
 * does not wait for a paint, so its render can still land before that frame.
 */
export function useValueAfterPaint<T>(value: T): T {
  const [shown, setShown] = useState(value);

  useEffect(() => {
    if (Object.is(shown, value)) return;
    let timer: number | undefined;
    // A timeout queued from an animation frame callback runs once that frame is painted.
    const frame = requestAnimationFrame(() => {
      timer = window.setTimeout(() => setShown(value), 0);
    });
    return () => {
      cancelAnimationFrame(frame);
      window.clearTimeout(timer);
    };
  }, [value, shown]);

  return shown;
}
