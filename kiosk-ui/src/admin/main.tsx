import { render } from 'preact';
import 'uplot/dist/uPlot.min.css';
import './admin.css';
import { AdminApp } from './AdminApp.js';

/** The staff admin page (/admin → /admin.html): a separate entry from the lobby kiosk. */
const root = document.getElementById('admin');
if (root) render(<AdminApp />, root);
