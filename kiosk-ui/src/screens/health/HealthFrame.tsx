import type { ComponentChildren } from 'preact';
import { Frame } from '../../ui/Frame.js';

/**
 * The shell's Frame with every health step inside one size container, "health" (health.css): the
 * steps lay out by the room they really have. Media queries see the panel, but large text zooms the
 * kiosk by a third (app/shell.css), so at 1280×800 a step has the room of a 960×600 screen and at
 * 800×480 that of a 600×360 one.
 */
export function HealthFrame(props: { title: string; testid: string; children: ComponentChildren; onBack?: () => void }) {
  return (
    <Frame title={props.title} testid={props.testid} onBack={props.onBack}>
      <div class="health-room">{props.children}</div>
    </Frame>
  );
}
