import { useState } from 'preact/hooks';
import { fetchCatalogue, type Partner, type Service } from '../../api/admin/services.js';
import { defineStrings, pick, useLang } from '../../app/i18n.js';
import { ErrorNote, useLoad } from '../context.js';
import { useCommon } from '../strings.js';
import { SearchTable } from '../ui/SearchTable.js';
import { PartnerForm } from './PartnerForm.js';
import { ServiceForm } from './ServiceForm.js';

const useStrings = defineStrings({
  zh: { heading: '合作单位与服务', partners: '合作单位', services: '服务', newPartner: '新建合作单位', newService: '新建服务', name: '名称', kind: '类型', count: '服务数', partner: '单位', category: '类别', hours: '时间', place: '地点', visible: '自助屏', shown: '显示', hidden: '隐藏' },
  en: { heading: 'Partner units and services', partners: 'Partner units', services: 'Services', newPartner: 'New partner unit', newService: 'New service', name: 'Name', kind: 'Kind', count: 'Services', partner: 'Unit', category: 'Category', hours: 'Hours', place: 'Place', visible: 'Kiosk', shown: 'shown', hidden: 'hidden' },
});

type Editing = { what: 'partner'; partner?: Partner } | { what: 'service'; service?: Service } | undefined;

/** Partner units and their services: list, search, add and edit (nothing is deleted: hide it). */
export function ServicesPage() {
  const t = useStrings();
  const common = useCommon();
  const lang = useLang();
  const { data, error, reload } = useLoad((signal) => fetchCatalogue(signal), []);
  const [editing, setEditing] = useState<Editing>(undefined);
  const [saved, setSaved] = useState(false);

  const done = () => {
    setEditing(undefined);
    setSaved(true);
    reload();
  };
  const open = (e: Editing) => {
    setSaved(false);
    setEditing(e);
  };
  const partnerName = new Map((data?.partners ?? []).map((p) => [p.id, pick(p.name, lang)]));
  const categoryName = new Map((data?.categories ?? []).map((c) => [c.id, pick(c.label, lang)]));
  const services = (data?.partners ?? []).flatMap((p) => p.services);
  const visibility = (hidden: boolean) => <span class={hidden ? 'tag tag-off' : 'tag tag-on'}>{hidden ? `⊘ ${t.hidden}` : `✓ ${t.shown}`}</span>;

  return (
    <section class="page">
      <h2>{t.heading}</h2>
      <div class="toolbar">
        <button type="button" class="primary" onClick={() => open({ what: 'partner' })} data-testid="new-partner">
          {t.newPartner}
        </button>
        <button type="button" class="primary" disabled={!data || data.partners.length === 0} onClick={() => open({ what: 'service' })} data-testid="new-service">
          {t.newService}
        </button>
      </div>
      {saved ? <p class="note note-ok" role="status">{common.saved}</p> : null}
      <ErrorNote error={error} />
      {editing?.what === 'partner' ? <PartnerForm key={editing.partner?.id ?? 'new'} partner={editing.partner} onSaved={done} onCancel={() => setEditing(undefined)} /> : null}
      {editing?.what === 'service' && data ? (
        <ServiceForm key={editing.service?.id ?? 'new'} service={editing.service} catalogue={data} onSaved={done} onCancel={() => setEditing(undefined)} />
      ) : null}
      {data ? (
        <>
          <h3>{t.services}</h3>
          <SearchTable
            testid="services-table"
            rows={services}
            rowKey={(s) => s.id}
            text={(s) => [s.name.zh, s.name.en, partnerName.get(s.partnerId), s.category, categoryName.get(s.category), s.place?.zh, s.place?.en, s.contact].join(' ')}
            columns={[
              { label: t.name, cell: (s) => pick(s.name, lang) },
              { label: t.partner, cell: (s) => partnerName.get(s.partnerId) },
              { label: t.category, cell: (s) => categoryName.get(s.category) ?? s.category },
              { label: t.hours, cell: (s) => (s.hours ? pick(s.hours, lang) : '—') },
              { label: t.place, cell: (s) => (s.place ? pick(s.place, lang) : '—') },
              { label: t.visible, cell: (s) => visibility(s.hidden) },
              { label: '', cell: (s) => <button type="button" onClick={() => open({ what: 'service', service: s })} data-testid="edit-service">{common.edit}</button>, class: 'actions' },
            ]}
          />
          <h3>{t.partners}</h3>
          <SearchTable
            testid="partners-table"
            rows={data.partners}
            rowKey={(p) => p.id}
            text={(p) => [p.name.zh, p.name.en, p.kind].join(' ')}
            columns={[
              { label: t.name, cell: (p) => pick(p.name, lang) },
              { label: t.kind, cell: (p) => p.kind },
              { label: t.count, cell: (p) => p.services.length, class: 'num' },
              { label: t.visible, cell: (p) => visibility(p.hidden) },
              { label: '', cell: (p) => <button type="button" onClick={() => open({ what: 'partner', partner: p })} data-testid="edit-partner">{common.edit}</button>, class: 'actions' },
            ]}
          />
        </>
      ) : null}
    </section>
  );
}
