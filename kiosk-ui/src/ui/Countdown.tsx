import { duration } from '../app/countdown.js';
import { defineStrings } from '../app/i18n.js';

const useS = defineStrings({
  zh: { h: '小时', m: '分钟', hm: '分' },
  en: { h: 'h', m: 'min', hm: 'min' },
});

/** Minutes left, big (hours and minutes once it is long): KIOSK.md wants the numbers big. */
export function Countdown(props: { ms: number; testid?: string }) {
  const s = useS();
  const d = duration(props.ms);
  return (
    <span class="countdown" data-testid={props.testid}>
      {d.hours !== null && (
        <>
          <span class="num">{d.hours}</span>
          <span class="unit">{s.h}</span>
        </>
      )}
      <span class="num">{d.minutes}</span>
      <span class="unit">{d.hours === null ? s.m : s.hm}</span>
    </span>
  );
}
