import type { ComponentChildren } from 'preact';

/**
 * Every tappable thing on the kiosk. At least 48 px (primary: 64 px) by the stylesheet; the pressed
 * look comes from `:active` in CSS, so it answers within a frame even when the server is slow.
 * `testid` is for the end-to-end tests.
 */
export function Button(props: {
  onClick: () => void;
  children: ComponentChildren;
  kind?: 'primary' | 'secondary' | 'tile' | 'key';
  disabled?: boolean;
  pressed?: boolean;
  label?: string;
  testid?: string;
  class?: string;
}) {
  const cls = ['btn', `btn-${props.kind ?? 'secondary'}`, props.class].filter(Boolean).join(' ');
  return (
    <button
      type="button"
      class={cls}
      disabled={props.disabled}
      aria-pressed={props.pressed === undefined ? undefined : props.pressed}
      aria-label={props.label}
      data-testid={props.testid}
      onClick={() => props.onClick()}
    >
      {props.children}
    </button>
  );
}
