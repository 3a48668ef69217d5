import { render } from 'preact';

/** The staff admin page (placeholder until it is built). */
const root = document.getElementById('admin');
if (root) render(<p>admin</p>, root);
