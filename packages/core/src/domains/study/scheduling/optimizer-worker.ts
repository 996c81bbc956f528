/** Worker thread: fits FSRS weights with fsrs-rs and scores old and new on the held-out reviews. */
import {
  computeParameters,
  FSRSBinding,
  FSRSBindingItem,
  FSRSBindingReview,
} from '@open-spaced-repetition/binding';
import { serveWorkerTask } from '../../../workers/worker-task.js';
import {
  trainingItemLengths,
  type ModelScore,
  type OptimisationResult,
  type OptimiserTask,
  type ReviewHistory,
} from './optimizer.js';

/** One item per training prefix; prefixes share their review objects, which the binding is slow to make. */
function toItems(histories: ReviewHistory[]): FSRSBindingItem[] {
  return histories.flatMap((history) => {
    const reviews = history.map(([rating, delta]) => new FSRSBindingReview(rating, delta));
    return trainingItemLengths(history).map((length) => new FSRSBindingItem(reviews.slice(0, length)));
  });
}

function score(weights: number[], items: FSRSBindingItem[]): ModelScore {
  const { logLoss, rmseBins } = new FSRSBinding(weights).evaluate(items);
  return { logLoss, rmse: rmseBins };
}

serveWorkerTask<OptimiserTask, OptimisationResult>(async ({ train, heldOut, currentWeights }, progress) => {
  progress(0, 'Preparing your reviews');
  const trainItems = toItems(train);
  const heldOutItems = toItems(heldOut);
  progress(0.1, 'Fitting your memory model');
  const fitted = await computeParameters(trainItems, {
    enableShortTerm: true,
    // fsrs-rs reports its epochs, not always before it finishes: the stages above and below always come.
    progress: (current, total) =>
      progress(total > 0 ? 0.1 + (0.8 * current) / total : null, 'Fitting your memory model'),
  });
  progress(0.9, 'Checking the fit on reviews it did not see');
  const before = score(currentWeights, heldOutItems);
  const after = score(fitted, heldOutItems);
  const adopted = after.logLoss < before.logLoss;
  return {
    weights: adopted ? fitted : currentWeights,
    adopted,
    before,
    after,
    trainingItems: trainItems.length,
    heldOutItems: heldOutItems.length,
  };
});
