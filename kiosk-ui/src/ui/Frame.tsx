import type { ComponentChildren } from 'preact';
import { useNav } from '../app/nav.js';
import { defineStrings } from '../app/i18n.js';
import { Button } from './Button.js';

const useS = defineStrings({ zh: { home: '首页', back: '返回' }, en: { home: 'Home', back: 'Back' } });

/**
 * One screen: its title at the top, its content, and Home and Back in the same place on every screen,
 * low down, where a wheelchair user can reach them (KIOSK.md). `onBack` overrides Back for a screen's
 * own steps (a form's previous page); without it Back leaves the screen.
 */
export function Frame(props: { title: string; testid: string; children: ComponentChildren; onBack?: () => void }) {
  const nav = useNav();
  const s = useS();
  return (
    <section class="frame" data-testid={props.testid} aria-labelledby={`${props.testid}-title`}>
      <h1 class="frame-title" id={`${props.testid}-title`}>
        {props.title}
      </h1>
      <div class="frame-body">{props.children}</div>
      <nav class="frame-nav">
        <Button kind="secondary" testid="nav-back" onClick={props.onBack ?? nav.back}>
          <span aria-hidden="true">◀ </span>
          {s.back}
        </Button>
        <Button kind="secondary" testid="nav-home" onClick={nav.home}>
          <span aria-hidden="true">⌂ </span>
          {s.home}
        </Button>
      </nav>
    </section>
  );
}
