import deBase from './de.json';
import enBase from './en.json';
import deVideo from './de/video.json';
import enVideo from './en/video.json';
import deSettings from './de/settings.json';
import enSettings from './en/settings.json';
import deContracts from './de/contracts.json';
import enContracts from './en/contracts.json';
import deDirectory from './de/directory.json';
import enDirectory from './en/directory.json';
import deStudies from './de/studies.json';
import enStudies from './en/studies.json';
import deViewer from './de/viewer.json';
import enViewer from './en/viewer.json';
import deStudyList from './de/study-list.json';
import enStudyList from './en/study-list.json';
import deStats from './de/stats.json';
import enStats from './en/stats.json';
import deColleagueCalls from './de/colleague-calls.json';
import enColleagueCalls from './en/colleague-calls.json';
import deConferences from './de/conferences.json';
import enConferences from './en/conferences.json';

type Tree = { [k: string]: string | Tree };

// Deep merge, so an area may add keys to a shared namespace such as "errors".
function merge(...trees: Tree[]): Tree {
  const out: Tree = {};
  for (const t of trees) {
    for (const [k, v] of Object.entries(t)) {
      const cur = out[k];
      out[k] = typeof v === 'object' && typeof cur === 'object' ? merge(cur, v) : v;
    }
  }
  return out;
}

// One file per area. German is the reference; English must have the same keys.
export const MESSAGES = {
  de: merge(deBase, deVideo, deSettings, deContracts, deDirectory, deStudies, deViewer, deStudyList, deStats, deColleagueCalls, deConferences),
  en: merge(enBase, enVideo, enSettings, enContracts, enDirectory, enStudies, enViewer, enStudyList, enStats, enColleagueCalls, enConferences),
};
