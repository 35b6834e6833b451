/** crmtrain-lab's plugins: crmtrain notebooks for trainees (index.ts) and "My training" (training.ts). */

import notebooks from './index';
import training from './training';

export default [notebooks, training];
