import { useEffect, useRef, useState } from 'preact/hooks';
import { idleResume, idleTick, type IdleState, type IdleTiming } from './idle.js';

/**
 * Drives the idle state machine (idle.ts) with the page's clock. Every touch or key press anywhere
 * counts as activity; it is kept in a ref, so a tap costs no render of the app. Leaving the prompt or
 * the rest screens takes an explicit tap on them (`resume`), so that a touch meant to wake the screen
 * never also presses a button underneath.
 */
export function useIdle(timing: IdleTiming, onHome: boolean, onReset: () => void): { state: IdleState; resume: () => void } {
  const [state, setState] = useState<IdleState>(() => idleResume(Date.now()));
  const current = useRef(state);
  const lastActivity = useRef(Date.now());
  const latest = useRef({ timing, onHome, onReset });
  latest.current = { timing, onHome, onReset };

  const set = (next: IdleState) => {
    if (next === current.current) return;
    current.current = next;
    setState(next);
  };

  useEffect(() => {
    const touched = () => {
      lastActivity.current = Date.now();
    };
    // A keyboard has no "wake tap" problem: a key press resumes at once.
    const pressed = () => {
      touched();
      if (current.current.phase !== 'active') set(idleResume(Date.now()));
    };
    const tick = () => {
      const { timing: t, onHome: home, onReset: reset } = latest.current;
      const step = idleTick(current.current, Date.now(), lastActivity.current, t, home);
      if (step.reset) reset();
      set(step.state);
    };
    window.addEventListener('pointerdown', touched, true);
    window.addEventListener('keydown', pressed, true);
    const timer = setInterval(tick, 250);
    return () => {
      window.removeEventListener('pointerdown', touched, true);
      window.removeEventListener('keydown', pressed, true);
      clearInterval(timer);
    };
  }, []);

  return {
    state,
    resume: () => {
      lastActivity.current = Date.now();
      set(idleResume(Date.now()));
    },
  };
}
