/**
 * The report page's stylesheet, served from its own route because the site's CSP (style-src 'self')
 * refuses inline styles. Made for A4 paper first: the committee prints it for its monthly meeting.
 * System fonts only (nothing to fetch), with common CJK faces named for Chinese text.
 */
export const REPORT_CSS = `
:root { color-scheme: light; }
body {
  margin: 1.5rem auto; max-width: 60rem; padding: 0 1rem; color: #1a1a1a; background: #fff;
  font: 15px/1.5 system-ui, "PingFang SC", "Noto Sans CJK SC", "Microsoft YaHei", sans-serif;
}
header { border-bottom: 2px solid #2d6a4f; margin-bottom: 1rem; }
h1 { font-size: 1.5rem; margin: 0 0 .25rem; color: #2d6a4f; }
h2 { font-size: 1.2rem; margin: 1.5rem 0 .5rem; border-bottom: 1px solid #ccc; }
h3 { font-size: 1rem; margin: 1rem 0 .4rem; }
.note { color: #555; font-size: .9rem; }
.partial { color: #8a4b00; font-weight: 600; }
nav { display: flex; gap: 1rem; align-items: center; flex-wrap: wrap; margin: .5rem 0 1rem; }
nav form { display: inline-flex; gap: .4rem; align-items: center; }
table { border-collapse: collapse; margin: .4rem 0 .8rem; min-width: 20rem; }
th, td { border: 1px solid #ccc; padding: .2rem .6rem; text-align: left; vertical-align: top; }
thead th { background: #eef5f1; }
.num { text-align: right; font-variant-numeric: tabular-nums; }
tr.total th, tr.total td { font-weight: 700; background: #f6f6f6; }
section { break-inside: avoid-page; }
/* The footfall page's text bars (lounge-page.ts): block characters, so they print without colour too. */
td.bar { color: #2d6a4f; white-space: nowrap; letter-spacing: -.05em; min-width: 12rem; }
@media print {
  @page { size: A4; margin: 15mm; }
  body { margin: 0; max-width: none; font-size: 11pt; }
  .noprint { display: none; }
  a { color: inherit; text-decoration: none; }
  h2 { break-after: avoid; }
  table { break-inside: auto; }
  tr { break-inside: avoid; }
}
`;
