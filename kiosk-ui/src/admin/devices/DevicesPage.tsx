import { useEffect } from 'preact/hooks';
import { fetchDevices, type Device } from '../../api/admin/devices.js';
import { defineStrings } from '../../app/i18n.js';
import { ErrorNote, useLoad, useSession } from '../context.js';
import { useCommon } from '../strings.js';
import { formatDateTime } from '../time.js';
import { SearchTable } from '../ui/SearchTable.js';

const REFRESH_MS = 10_000;

const useStrings = defineStrings({
  zh: {
    heading: '设备状态',
    id: '设备',
    link: '连接方式',
    status: '状态',
    statuses: { online: '● 在线', offline: '○ 离线', unknown: '? 未知' },
    reason: '原因',
    since: '状态开始于',
    lastSeen: '最后收到数据',
    never: '从未',
  },
  en: {
    heading: 'Device status',
    id: 'Device',
    link: 'Link',
    status: 'Status',
    statuses: { online: '● online', offline: '○ offline', unknown: '? unknown' },
    reason: 'Reason',
    since: 'Since',
    lastSeen: 'Last seen',
    never: 'never',
  },
});

/** Every device: online or offline (in words and a symbol, not colour alone), since when, last seen. */
export function DevicesPage() {
  const t = useStrings();
  const common = useCommon();
  const { tz } = useSession();
  const { data, error, reload } = useLoad((signal) => fetchDevices(signal), []);
  useEffect(() => {
    const timer = setInterval(reload, REFRESH_MS);
    return () => clearInterval(timer);
  }, [reload]);
  const when = (ms: number | null) => (ms === null ? t.never : formatDateTime(ms, tz));
  // Offline first: those are the ones someone has to go and look at.
  const order: Record<Device['status'], number> = { offline: 0, unknown: 1, online: 2 };
  const rows = [...(data ?? [])].sort((a, b) => order[a.status] - order[b.status] || a.id.localeCompare(b.id));
  return (
    <section class="page">
      <h2>{t.heading}</h2>
      <div class="toolbar">
        <button type="button" onClick={reload}>
          {common.refresh}
        </button>
      </div>
      <ErrorNote error={error} />
      {data ? (
        <SearchTable
          testid="devices-table"
          rows={rows}
          rowKey={(d) => d.id}
          text={(d) => [d.id, d.name, d.link, d.status, t.statuses[d.status], d.reason].join(' ')}
          columns={[
            { label: t.id, cell: (d) => (d.name ? `${d.name} (${d.id})` : d.id) },
            { label: t.link, cell: (d) => d.link },
            { label: t.status, cell: (d) => <span class={`tag status-${d.status}`} data-testid="device-status">{t.statuses[d.status]}</span> },
            { label: t.reason, cell: (d) => d.reason ?? '—' },
            { label: t.since, cell: (d) => when(d.since) },
            { label: t.lastSeen, cell: (d) => when(d.lastSeen) },
          ]}
        />
      ) : (
        <p class="note">{common.loading}</p>
      )}
    </section>
  );
}
