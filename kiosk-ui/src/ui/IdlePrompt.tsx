import { useEffect, useRef } from 'preact/hooks';
import { secondsLeft } from '../app/countdown.js';
import { defineStrings } from '../app/i18n.js';
import { useNow } from '../app/live.js';
import { Button } from './Button.js';

const useS = defineStrings({
  zh: {
    title: '还在吗？',
    body: (n: number) => `${n} 秒后回到首页，已填写的内容会被清除。`,
    seconds: '秒',
    keepGoing: '继续',
  },
  en: {
    title: 'Still there?',
    body: (n: number) => `In ${n} s the screen goes back home and clears what was typed.`,
    seconds: 's',
    keepGoing: 'Continue',
  },
});

/**
 * "Still there?" with a countdown and one big button. A tap anywhere on it also continues: whoever
 * touches the screen is still there. The tap lands on the prompt, never on the screen under it.
 */
export function IdlePrompt(props: { endsAt: number; onContinue: () => void }) {
  const s = useS();
  const now = useNow(250);
  const left = secondsLeft(props.endsAt, now);
  const button = useRef<HTMLDivElement>(null);
  useEffect(() => {
    button.current?.querySelector('button')?.focus();
  }, []);
  return (
    <div
      class="overlay idle-prompt"
      role="alertdialog"
      aria-modal="true"
      aria-labelledby="idle-title"
      aria-describedby="idle-body"
      data-testid="idle-prompt"
      onClick={props.onContinue}
    >
      <div class="idle-box">
        <h2 id="idle-title" class="idle-title">
          {s.title}
        </h2>
        <p class="idle-count" aria-hidden="true">
          <span class="idle-count-num" data-testid="idle-countdown">
            {left}
          </span>
          <span class="idle-count-unit">{s.seconds}</span>
        </p>
        <p id="idle-body" class="idle-body">
          {s.body(left)}
        </p>
        <div ref={button}>
          <Button kind="primary" class="idle-continue" testid="idle-continue" onClick={props.onContinue}>
            {s.keepGoing}
          </Button>
        </div>
      </div>
    </div>
  );
}
