import type { App } from '@slack/bolt';
import type { Deps } from '../deps';
import { ListenerRouter } from './router';
import { register as registerEvents } from './events';
import { register as registerReflectionAction } from './actions/reflection';
import { register as registerReflectionView } from './views/reflection';
import { register as registerVolunteerCommand } from './commands/volunteer';
import { register as registerJoinIncident } from './actions/join-incident';
import { register as registerHomeToggles } from './actions/home-toggles';
import { register as registerDmButtons } from './actions/dm-buttons';
import { register as registerAppHome } from './events/app-home';
import { register as registerReportFiles } from './actions/report-files';
import { register as registerMentorAsk } from './actions/mentor-ask';
import { register as registerAttendReview } from './actions/attend-review';
import { register as registerLevelChoice } from './actions/level-choice';
import { register as registerOfferButtons } from './actions/offer-buttons';
import { register as registerNoLearners } from './actions/no-learners';
import { register as registerMentorLoopActions } from './actions/mentor-loop';
import { register as registerMentorLoopViews } from './views/mentor-loop';
import { register as registerPracticeActions } from './actions/practice';
import { register as registerPracticeViews } from './views/practice';

/** Every surface registers its own listeners; this is the one list of them. */
export function registerListeners(bolt: App, deps: Deps): void {
  const app = new ListenerRouter(bolt);
  registerEvents(app, deps);
  registerReflectionAction(app, deps);
  registerReflectionView(app, deps);
  registerVolunteerCommand(app, deps);
  registerJoinIncident(app, deps);
  registerHomeToggles(app, deps);
  registerDmButtons(app, deps);
  registerAppHome(app, deps);
  registerReportFiles(app, deps);
  registerMentorAsk(app, deps);
  registerAttendReview(app, deps);
  registerLevelChoice(app, deps);
  registerOfferButtons(app, deps);
  registerNoLearners(app, deps);
  registerMentorLoopActions(app, deps);
  registerMentorLoopViews(app, deps);
  registerPracticeActions(app, deps);
  registerPracticeViews(app, deps);
  app.install();
}
