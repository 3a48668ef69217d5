import { defineStrings } from '../../app/i18n.js';
import { TILE_SCREENS, useNav, type ScreenName } from '../../app/nav.js';
import { Button } from '../../ui/Button.js';
import { Icon } from '../../ui/Icon.js';

type Tile = Exclude<ScreenName, 'home'>;

const useS = defineStrings({
  zh: {
    title: '欢迎来到共享客厅',
    tiles: {
      services: '服务项目',
      health: '健康一小时',
      garden: '口袋花园',
      waste: '垃圾分类',
      lounge: '客厅今天',
      concerns: '说说身边事',
    },
    hints: {
      services: '医院、银行、社会组织在这里的服务',
      health: '报名讲座和义诊',
      garden: '土壤湿度和浇水',
      waste: '投放时间和桶满情况',
      lounge: '现在人数和今天活动',
      concerns: '提出问题，看处理进度',
    },
  },
  en: {
    title: 'Welcome to the shared lounge',
    tiles: {
      services: 'Services',
      health: 'Health hours',
      garden: 'Garden',
      waste: 'Waste sorting',
      lounge: 'Lounge today',
      concerns: 'Concerns',
    },
    hints: {
      services: 'What the hospital, bank and others offer here',
      health: 'Sign up for talks and check-ups',
      garden: 'Soil moisture and watering',
      waste: 'Drop-off times and bin fill',
      lounge: "People inside and today's events",
      concerns: 'Raise an issue, follow its progress',
    },
  },
});

/** Six big tiles, one per screen (KIOSK.md §Home). */
export function Home() {
  const nav = useNav();
  const s = useS();
  return (
    <section class="home" data-testid="screen-home" aria-labelledby="home-title">
      <h1 class="home-title" id="home-title">
        {s.title}
      </h1>
      <div class="tiles">
        {TILE_SCREENS.map((t) => (
          <Button key={t} kind="tile" testid={`tile-${t}`} onClick={() => nav.go(t)}>
            <Icon name={t} class="tile-icon" />
            <span class="tile-name">{s.tiles[t]}</span>
            <span class="tile-hint">{s.hints[t]}</span>
          </Button>
        ))}
      </div>
    </section>
  );
}
