import { useState } from 'preact/hooks';
import { Board } from './Board.js';
import { Follow } from './Follow.js';
import { Menu, type MenuChoice } from './Menu.js';
import { RaiseFlow } from './RaiseFlow.js';
import './concerns.css';

/**
 * Residents' concerns: raise one in a few taps, read the public board, or follow one's own by its
 * code. Which part is open is this screen's own state; everything typed lives in the parts' state,
 * so the idle reset (which remounts the screen) clears it all.
 */
export function ConcernsScreen() {
  const [view, setView] = useState<'menu' | MenuChoice>('menu');
  const toMenu = () => setView('menu');
  if (view === 'raise') return <RaiseFlow onExit={toMenu} onBoard={() => setView('board')} />;
  if (view === 'board') return <Board onExit={toMenu} />;
  if (view === 'follow') return <Follow onExit={toMenu} />;
  return <Menu onChoose={setView} />;
}
