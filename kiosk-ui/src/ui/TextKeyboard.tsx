import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { defineStrings } from '../app/i18n.js';
import { Button } from './Button.js';
import { backspace, charCount, codeRows, DIGIT_ROWS, fits, LETTER_ROWS, tail, typeKey, wordRows, type KeyboardMode } from './text-keyboard.js';
import './TextKeyboard.css';

const useS = defineStrings({
  zh: { modes: { words: '常用词', letters: 'ABC', digits: '123' }, space: '空格', delete: '删除一个字', modeGroup: '键盘', full: '已到字数上限' },
  en: { modes: { words: 'Words', letters: 'ABC', digits: '123' }, space: 'Space', delete: 'Delete one character', modeGroup: 'Keyboard', full: 'No more room' },
});

/** As many characters as the display holds at 800×480; earlier ones are shown as “…”. */
const SHOWN_CHARS = 24;

/**
 * The kiosk has no keyboard: this one is tapped. `text` has common words (Chinese typing on a kiosk
 * is hard, so the words a screen expects come ready-made), capital letters, digits and punctuation;
 * `code` has only the characters of a reference code, and shows the places still to fill as dots. The text itself lives in the caller's state
 * (never in storage), so the idle reset's remount clears it. `action` (Next, Look up) sits beside
 * the text, where the eye already is.
 */
export function TextKeyboard(props: {
  value: string;
  onChange: (value: string) => void;
  maxLength: number;
  layout: 'text' | 'code';
  /** what is typed, for screen readers and as the placeholder */
  label: string;
  words?: readonly string[];
  /** the alphabet of the `code` layout */
  alphabet?: string;
  action?: ComponentChildren;
  testid?: string;
}) {
  const s = useS();
  const hasWords = props.layout === 'text' && (props.words?.length ?? 0) > 0;
  const [mode, setMode] = useState<KeyboardMode>(hasWords ? 'words' : 'letters');
  const { value, maxLength } = props;
  const type = (key: string) => props.onChange(typeKey(value, key, maxLength));

  const rows =
    props.layout === 'code' ? codeRows(props.alphabet ?? '') : mode === 'words' ? wordRows(props.words ?? [], 6).slice(0, 3) : mode === 'digits' ? DIGIT_ROWS : LETTER_ROWS;
  const modes: KeyboardMode[] = hasWords ? ['words', 'letters', 'digits'] : ['letters', 'digits'];
  const full = charCount(value) >= maxLength;

  return (
    <div class={`kbd kbd-${props.layout}`} data-testid={props.testid ?? 'keyboard'}>
      <div class="kbd-top">
        <div class="kbd-display" role="textbox" aria-readonly="true" aria-label={props.label} aria-live="polite" data-testid="kbd-display" data-value={value}>
          {value === '' ? (
            <span class="kbd-placeholder">{props.label}</span>
          ) : (
            <span class="kbd-text">{props.layout === 'code' ? value.padEnd(maxLength, '·') : tail(value, SHOWN_CHARS)}</span>
          )}
          <span class="kbd-caret" aria-hidden="true">
            ▏
          </span>
        </div>
        {props.layout === 'text' && (
          <span class={full ? 'kbd-count is-full' : 'kbd-count'} data-testid="kbd-count" title={full ? s.full : undefined}>
            {charCount(value)}/{maxLength}
          </span>
        )}
        <Button class="kbd-key kbd-backspace" testid="key-backspace" label={s.delete} disabled={value === ''} onClick={() => props.onChange(backspace(value))}>
          ⌫
        </Button>
        {props.action}
      </div>
      <div class="kbd-body">
        {props.layout === 'text' && (
          <div class="kbd-modes" role="group" aria-label={s.modeGroup}>
            {modes.map((m) => (
              <Button key={m} class="kbd-mode" testid={`kbd-mode-${m}`} pressed={mode === m} onClick={() => setMode(m)}>
                {s.modes[m]}
              </Button>
            ))}
          </div>
        )}
        <div class="kbd-rows">
          {rows.map((row, i) => (
            <div class="kbd-row" key={`${mode}-${i}`}>
              {row.map((key) =>
                mode === 'words' && props.layout === 'text' ? (
                  <Button key={key} class="kbd-key kbd-word" testid={`word-${key}`} disabled={!fits(value, key, maxLength)} onClick={() => type(key)}>
                    <span lang="zh-CN">{key}</span>
                  </Button>
                ) : (
                  <Button key={key} class="kbd-key" testid={`key-${key}`} disabled={full} onClick={() => type(key)}>
                    {key}
                  </Button>
                ),
              )}
              {props.layout === 'text' && i === rows.length - 1 && (
                <Button class="kbd-key kbd-space" testid="key-space" disabled={full || value === '' || value.endsWith(' ')} onClick={() => type(' ')}>
                  {s.space}
                </Button>
              )}
            </div>
          ))}
        </div>
      </div>
    </div>
  );
}
