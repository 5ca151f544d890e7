import deBase from './de.json';
import enBase from './en.json';
import deVideo from './de/video.json';
import enVideo from './en/video.json';
import deSettings from './de/settings.json';
import enSettings from './en/settings.json';

// One file per area, merged at the top level, so that features can keep their
// texts apart. German is the reference; English must have the same keys.
export const MESSAGES = {
  de: { ...deBase, ...deVideo, ...deSettings },
  en: { ...enBase, ...enVideo, ...enSettings },
} as const;
