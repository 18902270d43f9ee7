import { defineLibrary } from '@narwhal/tsup-config';

export default defineLibrary({ entry: { index: 'src/index.ts' }, external: ['@narwhal/core', 'uWebSockets.js', '@based/uws', '@btc-vision/uwebsockets.js', '@trufflesuite/uws-js-unofficial'] });
