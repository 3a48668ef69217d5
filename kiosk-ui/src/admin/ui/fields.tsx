import type { ComponentChildren } from 'preact';
import type { Bilingual } from '../../api/admin/http.js';
import { useCommon } from '../strings.js';

/**
 * Labelled form fields that show their own problem under them. Forms check their values before
 * sending (`errors` keyed by field name) and only then ask the service, whose answer may still
 * refuse; that refusal is shown by the form as a whole.
 */
export type Errors = Partial<Record<string, string>>;

function Problem(props: { message?: string; id: string }) {
  return props.message ? (
    <span class="field-error" id={props.id} role="alert">
      {props.message}
    </span>
  ) : null;
}

export function TextField(props: {
  name: string;
  label: string;
  value: string;
  onInput: (v: string) => void;
  errors: Errors;
  type?: 'text' | 'password' | 'number' | 'url' | 'tel' | 'datetime-local' | 'month';
  multiline?: boolean;
  maxLength?: number;
  hint?: string;
  autocomplete?: string;
}) {
  const err = props.errors[props.name];
  const id = `f-${props.name}`;
  const common = {
    id,
    name: props.name,
    value: props.value,
    maxLength: props.maxLength,
    'aria-invalid': err ? true : undefined,
    'aria-describedby': err ? `${id}-error` : undefined,
    'data-testid': id,
  };
  return (
    <div class={`field${err ? ' field-bad' : ''}`}>
      <label for={id}>{props.label}</label>
      {props.multiline ? (
        <textarea {...common} rows={3} onInput={(e) => props.onInput(e.currentTarget.value)} />
      ) : (
        // Preact types each input type separately; a type chosen at run time needs the widening cast.
        <input {...common} type={(props.type ?? 'text') as 'text'} autocomplete={props.autocomplete} onInput={(e) => props.onInput(e.currentTarget.value)} />
      )}
      {props.hint ? <span class="field-hint">{props.hint}</span> : null}
      <Problem message={err} id={`${id}-error`} />
    </div>
  );
}

/** The same text in Chinese and English, side by side. */
export function BilingualField(props: { name: string; label: string; value: Bilingual; onInput: (v: Bilingual) => void; errors: Errors; multiline?: boolean; maxLength?: number }) {
  const common = useCommon();
  const err = props.errors[props.name];
  return (
    <fieldset class={`field bilingual${err ? ' field-bad' : ''}`}>
      <legend>{props.label}</legend>
      <div class="pair">
        {(['zh', 'en'] as const).map((lang) => (
          <label>
            <span class="lang-tag">{common[lang]}</span>
            {props.multiline ? (
              <textarea
                name={`${props.name}.${lang}`}
                rows={3}
                value={props.value[lang]}
                maxLength={props.maxLength}
                lang={lang === 'zh' ? 'zh-CN' : 'en'}
                data-testid={`f-${props.name}-${lang}`}
                onInput={(e) => props.onInput({ ...props.value, [lang]: e.currentTarget.value })}
              />
            ) : (
              <input
                name={`${props.name}.${lang}`}
                value={props.value[lang]}
                maxLength={props.maxLength}
                lang={lang === 'zh' ? 'zh-CN' : 'en'}
                data-testid={`f-${props.name}-${lang}`}
                onInput={(e) => props.onInput({ ...props.value, [lang]: e.currentTarget.value })}
              />
            )}
          </label>
        ))}
      </div>
      <Problem message={err} id={`f-${props.name}-error`} />
    </fieldset>
  );
}

export function SelectField(props: { name: string; label: string; value: string; options: { value: string; label: string }[]; onChange: (v: string) => void; errors: Errors }) {
  const err = props.errors[props.name];
  const id = `f-${props.name}`;
  return (
    <div class={`field${err ? ' field-bad' : ''}`}>
      <label for={id}>{props.label}</label>
      <select id={id} name={props.name} value={props.value} data-testid={id} onChange={(e) => props.onChange(e.currentTarget.value)}>
        {props.options.map((o) => (
          <option value={o.value}>{o.label}</option>
        ))}
      </select>
      <Problem message={err} id={`${id}-error`} />
    </div>
  );
}

export function CheckField(props: { name: string; label: string; checked: boolean; onChange: (v: boolean) => void }) {
  return (
    <div class="field field-check">
      <label>
        <input type="checkbox" name={props.name} checked={props.checked} data-testid={`f-${props.name}`} onChange={(e) => props.onChange(e.currentTarget.checked)} /> {props.label}
      </label>
    </div>
  );
}

/** A form's frame: fields, then the buttons; Enter submits; nothing is sent while `busy`. */
export function Form(props: { title: string; onSubmit: () => void; onCancel?: () => void; busy: boolean; submitLabel: string; children: ComponentChildren; testid: string; footer?: ComponentChildren; danger?: boolean }) {
  const common = useCommon();
  return (
    <form
      class="form"
      data-testid={props.testid}
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        if (!props.busy) props.onSubmit();
      }}
    >
      <h3>{props.title}</h3>
      {props.children}
      {props.footer}
      <div class="form-buttons">
        <button type="submit" class={props.danger ? 'danger' : 'primary'} disabled={props.busy} data-testid={`${props.testid}-submit`}>
          {props.submitLabel}
        </button>
        {props.onCancel ? (
          <button type="button" onClick={props.onCancel} data-testid={`${props.testid}-cancel`}>
            {common.cancel}
          </button>
        ) : null}
      </div>
    </form>
  );
}

/** Checks of what is typed, shared by the forms. */
export const blank = (s: string) => s.trim().length === 0;
export const trimText = (t: Bilingual): Bilingual => ({ zh: t.zh.trim(), en: t.en.trim() });
/** Both languages or neither: 'both' | 'none' | 'half'. */
export const filled = (t: Bilingual): 'both' | 'none' | 'half' => (blank(t.zh) && blank(t.en) ? 'none' : !blank(t.zh) && !blank(t.en) ? 'both' : 'half');
export const EMPTY_TEXT: Bilingual = { zh: '', en: '' };
