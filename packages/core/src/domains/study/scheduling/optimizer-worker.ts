/** Worker thread: fits FSRS weights with fsrs-rs and scores old and new on the held-out reviews. */
import {
  computeParameters,
  FSRSBinding,
  FSRSBindingItem,
  FSRSBindingReview,
} from '@open-spaced-repetition/binding';
import { serveWorkerTask } from '../../../jobs/worker-task.js';
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
  const trainItems = toItems(train);
  const heldOutItems = toItems(heldOut);
  const fitted = await computeParameters(trainItems, {
    enableShortTerm: true,
    progress: (current, total) => progress(total > 0 ? current / total : null, 'Fitting your memory model'),
  });
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
