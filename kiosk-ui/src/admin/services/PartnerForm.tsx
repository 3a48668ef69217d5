import { useState } from 'preact/hooks';
import { createPartner, updatePartner, type Partner } from '../../api/admin/services.js';
import { defineStrings } from '../../app/i18n.js';
import { ErrorNote, useAction } from '../context.js';
import { useCommon } from '../strings.js';
import { BilingualField, CheckField, EMPTY_TEXT, Form, TextField, filled, trimText, type Errors } from '../ui/fields.js';

export const usePartnerStrings = defineStrings({
  zh: { newPartner: '新建合作单位', editPartner: '编辑合作单位', name: '名称', kind: '类型', kindHint: '小写英文单词，如 hospital、bank、social-organisation', kindBad: '类型只能用小写字母、数字和连字符，以字母开头。', hidden: '在自助屏上隐藏（连同它的全部服务）' },
  en: { newPartner: 'New partner unit', editPartner: 'Edit partner unit', name: 'Name', kind: 'Kind', kindHint: 'a lowercase word such as hospital, bank, social-organisation', kindBad: 'The kind takes lowercase letters, digits and dashes, starting with a letter.', hidden: 'Hide on the kiosk (with all its services)' },
});

const KIND = /^[a-z][a-z0-9-]{0,31}$/;

export function PartnerForm(props: { partner?: Partner; onSaved: () => void; onCancel: () => void }) {
  const t = usePartnerStrings();
  const common = useCommon();
  const p = props.partner;
  const [name, setName] = useState(p?.name ?? EMPTY_TEXT);
  const [kind, setKind] = useState(p?.kind ?? '');
  const [hidden, setHidden] = useState(p?.hidden ?? false);
  const [errors, setErrors] = useState<Errors>({});
  const action = useAction();

  const submit = async () => {
    const next: Errors = {};
    if (filled(name) !== 'both') next.name = common.bothLanguages;
    if (!KIND.test(kind.trim())) next.kind = kind.trim() ? t.kindBad : common.required;
    setErrors(next);
    if (Object.keys(next).length > 0) return;
    const fields = { name: trimText(name), kind: kind.trim(), hidden };
    if (await action.run(() => (p ? updatePartner(p.id, fields) : createPartner(fields)))) props.onSaved();
  };

  return (
    <Form title={p ? t.editPartner : t.newPartner} onSubmit={() => void submit()} onCancel={props.onCancel} busy={action.busy} submitLabel={common.save} testid="partner-form">
      <BilingualField name="name" label={t.name} value={name} onInput={setName} errors={errors} maxLength={100} />
      <TextField name="kind" label={t.kind} value={kind} onInput={setKind} errors={errors} maxLength={32} hint={t.kindHint} />
      <CheckField name="hidden" label={t.hidden} checked={hidden} onChange={setHidden} />
      <ErrorNote error={action.error} testid="partner-form-error" />
    </Form>
  );
}
