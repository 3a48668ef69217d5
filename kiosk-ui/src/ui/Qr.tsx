import { useMemo } from 'preact/hooks';
import { renderSVG } from 'uqr';

/**
 * A QR code drawn in the page, from text the kiosk already has: no request leaves the Pi. The SVG goes
 * in as a data: image (the CSP allows data: images), so no markup is ever set from a string. The
 * encoded text is kept in `data-qr-text` for the end-to-end tests; it is public information only.
 * Error correction M: a phone camera reads a screen through glare and finger marks.
 */
export function Qr(props: { text: string; label: string; testid?: string; class?: string }) {
  const src = useMemo(() => `data:image/svg+xml;charset=utf-8,${encodeURIComponent(renderSVG(props.text, { ecc: 'M', border: 2 }))}`, [props.text]);
  return <img class={['qr', props.class].filter(Boolean).join(' ')} src={src} alt={props.label} data-testid={props.testid ?? 'qr'} data-qr-text={props.text} />;
}
