import { pick, useLang } from '../../app/i18n.js';
import type { ConcernState } from '../../api/concerns.js';
import type { Text } from '../../api/site.js';
import { StateIcon } from './pictograms.js';

/** A state in words with its icon; the colour (by `data-state` in CSS) only repeats what they say. */
export function StateBadge(props: { state: ConcernState; label: Text; testid?: string }) {
  const lang = useLang();
  return (
    <span class={`cn-state cn-state-${props.state}`} data-state={props.state} data-testid={props.testid}>
      <StateIcon state={props.state} />
      <span>{pick(props.label, lang)}</span>
    </span>
  );
}
