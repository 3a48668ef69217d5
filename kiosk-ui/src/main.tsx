import { render } from 'preact';
import { fetchSite, type Site } from './api/site.js';
import { App } from './app/App.js';
import './style.css';
import './app/shell.css';

/**
 * The lobby kiosk. The site is fetched once (retrying until the server answers); everything else
 * comes from the screens' own requests and the live stream. The page never needs a reload.
 */
const RETRY_MS = 5_000;

function message(root: HTMLElement, zh: string, en: string): void {
  root.innerHTML = '';
  const box = document.createElement('div');
  box.className = 'message';
  box.dataset.testid = 'message';
  for (const [lang, text] of [['zh-CN', zh], ['en', en]] as const) {
    const p = document.createElement('p');
    p.lang = lang;
    p.textContent = text;
    box.append(p);
  }
  root.append(box);
}

async function loadSite(root: HTMLElement): Promise<Site> {
  for (;;) {
    try {
      return await fetchSite();
    } catch {
      message(root, '暂时连不上服务器，正在重试…', 'Cannot reach the server, trying again…');
      await new Promise((r) => setTimeout(r, RETRY_MS));
    }
  }
}

async function main(): Promise<void> {
  const root = document.getElementById('app');
  if (!root) throw new Error('no #app element');
  message(root, '正在连接…', 'Connecting…');
  const site = await loadSite(root);
  root.innerHTML = '';
  render(<App site={site} />, root);
}

void main();
