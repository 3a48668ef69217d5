import { defineStrings } from '../app/i18n.js';
import { Button } from './Button.js';
import './Keypad.css';

const useS = defineStrings({
  zh: { del: '删除', delLabel: '删除一位', clear: '清空', clearLabel: '全部清空', keypad: '数字键盘' },
  en: { del: 'Delete', delLabel: 'Delete one digit', clear: 'Clear', clearLabel: 'Clear all', keypad: 'Number keypad' },
});

const ROWS = ['123', '456', '789'];

/**
 * The on-screen number pad: 3×4 like a phone's (1 2 3 at the top), with "clear" and "delete" either
 * side of 0, each key a big tap target (KIOSK.md: phone numbers and codes are typed here, never on a
 * system keyboard). Controlled: the value lives in the screen's own state, so the idle reset clears
 * it. Digit keys stop at `maxLength` and are shown disabled then, so a full field looks full.
 */
export function Keypad(props: { value: string; onChange: (value: string) => void; maxLength: number; testid?: string; label?: string }) {
  const s = useS();
  const id = props.testid ?? 'key';
  const full = props.value.length >= props.maxLength;
  const digit = (d: string) => (
    <Button key={d} kind="key" testid={`${id}-${d}`} disabled={full} onClick={() => !full && props.onChange(props.value + d)}>
      {d}
    </Button>
  );
  return (
    <div class="keypad" role="group" aria-label={props.label ?? s.keypad} data-testid={id}>
      {ROWS.map((row) => [...row].map(digit))}
      <Button kind="key" class="key-action" testid={`${id}-clear`} label={s.clearLabel} disabled={props.value === ''} onClick={() => props.onChange('')}>
        {s.clear}
      </Button>
      {digit('0')}
      <Button kind="key" class="key-action" testid={`${id}-del`} label={s.delLabel} disabled={props.value === ''} onClick={() => props.onChange(props.value.slice(0, -1))}>
        <span aria-hidden="true">⌫ </span>
        <span class="key-word">{s.del}</span>
      </Button>
    </div>
  );
}
