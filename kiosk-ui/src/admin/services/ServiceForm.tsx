import { useState } from 'preact/hooks';
import type { Bilingual } from '../../api/admin/http.js';
import { createService, updateService, type Catalogue, type Service, type ServiceFields } from '../../api/admin/services.js';
import { defineStrings, pick, useLang } from '../../app/i18n.js';
import { ErrorNote, useAction } from '../context.js';
import { useCommon } from '../strings.js';
import { BilingualField, CheckField, EMPTY_TEXT, Form, SelectField, TextField, blank, filled, trimText, type Errors } from '../ui/fields.js';

export const useServiceStrings = defineStrings({
  zh: {
    newService: '新建服务',
    editService: '编辑服务',
    partner: '合作单位',
    name: '服务名称',
    category: '类别',
    description: '说明（可选）',
    hours: '服务时间（可选）',
    place: '地点（可选）',
    contact: '联系电话（可选，单位或窗口的公开电话，不要填个人号码）',
    link: '网址（可选，以二维码显示）',
    linkBad: '网址要以 http:// 或 https:// 开头，且不含用户名和密码。',
    hidden: '在自助屏上隐藏',
    noPartner: '请先新建一个合作单位。',
    oneLine: '只能写一行。',
  },
  en: {
    newService: 'New service',
    editService: 'Edit service',
    partner: 'Partner unit',
    name: 'Service name',
    category: 'Category',
    description: 'Description (optional)',
    hours: 'Hours (optional)',
    place: 'Place (optional)',
    contact: "Phone (optional: the unit's or a counter's public number, never a person's)",
    link: 'Web address (optional, shown as a QR code)',
    linkBad: 'The address must start with http:// or https:// and hold no user name or password.',
    hidden: 'Hide on the kiosk',
    noPartner: 'Add a partner unit first.',
    oneLine: 'One line only.',
  },
});

function linkOk(value: string): boolean {
  try {
    const u = new URL(value.trim());
    return (u.protocol === 'http:' || u.protocol === 'https:') && Boolean(u.hostname) && !u.username && !u.password;
  } catch {
    return false;
  }
}

const optionalText = (t: Bilingual): Bilingual | null => (filled(t) === 'none' ? null : trimText(t));

export function ServiceForm(props: { service?: Service; catalogue: Catalogue; onSaved: () => void; onCancel: () => void }) {
  const t = useServiceStrings();
  const common = useCommon();
  const lang = useLang();
  const s = props.service;
  const partners = props.catalogue.partners;
  const [partnerId, setPartnerId] = useState(String(s?.partnerId ?? partners[0]?.id ?? ''));
  const [name, setName] = useState(s?.name ?? EMPTY_TEXT);
  const [category, setCategory] = useState(s?.category ?? props.catalogue.categories[0]?.id ?? 'other');
  const [description, setDescription] = useState(s?.description ?? EMPTY_TEXT);
  const [hours, setHours] = useState(s?.hours ?? EMPTY_TEXT);
  const [place, setPlace] = useState(s?.place ?? EMPTY_TEXT);
  const [contact, setContact] = useState(s?.contact ?? '');
  const [link, setLink] = useState(s?.link ?? '');
  const [hidden, setHidden] = useState(s?.hidden ?? false);
  const [errors, setErrors] = useState<Errors>({});
  const action = useAction();

  const submit = async () => {
    const next: Errors = {};
    if (!partners.some((p) => String(p.id) === partnerId)) next.partnerId = t.noPartner;
    if (filled(name) !== 'both') next.name = common.bothLanguages;
    for (const [key, value] of [['description', description], ['hours', hours], ['place', place]] as const) {
      if (filled(value) === 'half') next[key] = common.bothLanguages;
    }
    if (/[\r\n\t]/.test(contact)) next.contact = t.oneLine;
    if (!blank(link) && !linkOk(link)) next.link = t.linkBad;
    setErrors(next);
    if (Object.keys(next).length > 0) return;
    const fields: ServiceFields = {
      partnerId: Number(partnerId),
      name: trimText(name),
      category,
      description: optionalText(description),
      hours: optionalText(hours),
      place: optionalText(place),
      contact: blank(contact) ? null : contact.trim(),
      link: blank(link) ? null : link.trim(),
      hidden,
    };
    if (await action.run(() => (s ? updateService(s.id, fields) : createService(fields)))) props.onSaved();
  };

  return (
    <Form title={s ? t.editService : t.newService} onSubmit={() => void submit()} onCancel={props.onCancel} busy={action.busy} submitLabel={common.save} testid="service-form">
      <SelectField name="partnerId" label={t.partner} value={partnerId} onChange={setPartnerId} errors={errors} options={partners.map((p) => ({ value: String(p.id), label: pick(p.name, lang) }))} />
      <BilingualField name="name" label={t.name} value={name} onInput={setName} errors={errors} maxLength={100} />
      <SelectField name="category" label={t.category} value={category} onChange={setCategory} errors={errors} options={props.catalogue.categories.map((c) => ({ value: c.id, label: pick(c.label, lang) }))} />
      <BilingualField name="description" label={t.description} value={description} onInput={setDescription} errors={errors} multiline maxLength={1000} />
      <BilingualField name="hours" label={t.hours} value={hours} onInput={setHours} errors={errors} maxLength={200} />
      <BilingualField name="place" label={t.place} value={place} onInput={setPlace} errors={errors} maxLength={200} />
      <TextField name="contact" label={t.contact} type="tel" value={contact} onInput={setContact} errors={errors} maxLength={64} />
      <TextField name="link" label={t.link} type="url" value={link} onInput={setLink} errors={errors} maxLength={500} />
      <CheckField name="hidden" label={t.hidden} checked={hidden} onChange={setHidden} />
      <ErrorNote error={action.error} testid="service-form-error" />
    </Form>
  );
}
