import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { useCommon } from '../strings.js';

/**
 * A table with a search box above it: the search matches, case-insensitively, the text that
 * `text(row)` gives (what a person would look for: names, ids, codes, states).
 */
export interface Column<T> {
  label: string;
  cell: (row: T) => ComponentChildren;
  class?: string;
}

export function SearchTable<T>(props: {
  rows: readonly T[];
  columns: Column<T>[];
  text: (row: T) => string;
  rowKey: (row: T) => string | number;
  testid: string;
  rowClass?: (row: T) => string | undefined;
  caption?: string;
}) {
  const common = useCommon();
  const [query, setQuery] = useState('');
  const words = query.trim().toLowerCase().split(/\s+/).filter(Boolean);
  const shown = words.length === 0 ? props.rows : props.rows.filter((r) => {
    const hay = props.text(r).toLowerCase();
    return words.every((w) => hay.includes(w));
  });
  return (
    <div class="table-wrap" data-testid={props.testid}>
      <div class="table-tools">
        <label class="search">
          <span>{common.search}</span>
          <input type="search" value={query} placeholder={common.searchHint} onInput={(e) => setQuery(e.currentTarget.value)} data-testid={`${props.testid}-search`} />
        </label>
        <span class="table-count" data-testid={`${props.testid}-count`}>
          {common.rows(shown.length, props.rows.length)}
        </span>
      </div>
      <table class="table">
        {props.caption ? <caption>{props.caption}</caption> : null}
        <thead>
          <tr>
            {props.columns.map((c) => (
              <th scope="col" class={c.class}>
                {c.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {shown.map((row) => (
            <tr key={props.rowKey(row)} class={props.rowClass?.(row)} data-testid={`${props.testid}-row`} data-key={String(props.rowKey(row))}>
              {props.columns.map((c) => (
                <td class={c.class}>{c.cell(row)}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      {shown.length === 0 ? <p class="note">{props.rows.length === 0 ? common.empty : common.noMatch}</p> : null}
    </div>
  );
}
