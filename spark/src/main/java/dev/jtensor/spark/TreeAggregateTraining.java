package dev.jtensor.spark;

import dev.jtensor.Jt;
import dev.jtensor.Tensor;
import dev.jtensor.nn.Module;
import dev.jtensor.optim.Optimizer;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * {@link DataParallelTraining.Collective#TREE_AGGREGATE}: the driver holds the model and the optimizer.
 * Each step it broadcasts the weights, one {@code treeAggregate} job sums the ranks' gradients (and
 * losses) as float arrays, and the driver divides by the world size and steps. No sockets between tasks;
 * each step re-reads the rank's shards and rebuilds the model, which is what makes it simple and slow.
 */
final class TreeAggregateTraining {
    private TreeAggregateTraining() {}

    static TrainingResult fit(TrainingPlan plan, JavaSparkContext sc, JavaRDD<Integer> ranks) {
        try (JobScope scope = new JobScope(sc, "jtensor data-parallel training (treeAggregate)", false)) {
            try {
                return train(plan, sc, ranks);
            } catch (Throwable e) {
                scope.cancelAndAwaitEnd(RingTraining.END_WAIT_MILLIS);
                throw e;
            }
        }
    }

    private static TrainingResult train(TrainingPlan plan, JavaSparkContext sc, JavaRDD<Integer> ranks) {
        List<Long> rows = ranks.map(r -> {
            try (RankData d = plan.load(r)) {
                return d.rows();
            }
        }).collect();
        TrainingPlan.Epochs epochs = plan.epochs(rows.stream().mapToLong(Long::longValue).min().orElseThrow(),
                rows.stream().mapToLong(Long::longValue).max().orElseThrow());
        long steps = epochs.total(plan.epochs());
        Module model = plan.model().create();
        model.train();
        List<Tensor> params = model.parameters();
        Optimizer opt = plan.optimizer().create(params);
        int floats = Math.toIntExact(params.stream().mapToLong(Tensor::numel).sum() + 1);
        double[] losses = new double[Math.toIntExact(steps)];
        for (long s = 0; s < steps; s++) {
            long step = s;
            Broadcast<StateBytes> weights = sc.broadcast(StateBytes.of(model.stateDict()));
            float[] sum = ranks.treeAggregate(new float[floats],
                    (acc, rank) -> addInto(acc, rankGradient(plan, weights.value(), rank, step, epochs, floats)),
                    TreeAggregateTraining::addInto, 2);
            weights.destroy();
            try (var _ = Jt.noGrad()) {
                Tensor mean = Jt.tensor(sum).div_(plan.worldSize());
                long off = 0;
                for (Tensor p : params) {
                    p.setGrad(mean.narrow(0, off, p.numel()).view(p.shape().toArray()).clone());
                    off += p.numel();
                }
                losses[(int) s] = mean.narrow(0, off, 1).item();
            }
            opt.step();
        }
        return new TrainingResult(StateBytes.of(model.stateDict()).tensors(), losses);
    }

    /** One rank's gradient at {@code weights} for step {@code step}, flattened, then its loss. */
    private static float[] rankGradient(TrainingPlan plan, StateBytes weights, int rank, long step, TrainingPlan.Epochs epochs, int floats) {
        TaskThreads.matchTaskCpus();
        RankData data = null;
        try {
            data = plan.load(rank);
            Module m = plan.model().create();
            m.loadStateDict(weights.tensors());
            m.train();
            double loss = plan.localBackward(m, data, step, epochs);
            float[] out = new float[floats];
            int off = 0;
            for (Tensor p : m.parameters()) {
                if (p.grad() != null) System.arraycopy(p.grad().contiguous().toFloatArray(), 0, out, off, (int) p.numel());
                off += (int) p.numel();
            }
            out[off] = (float) loss;
            return out;
        } catch (java.io.IOException | RuntimeException e) {
            TaskKill.check(); // failed because the job was cancelled: report the kill
            long[] r = epochs.rows(step, plan.batchSize());
            String shards = data == null ? "" : "; shards " + data.shards();
            throw new IllegalStateException("data-parallel rank " + rank + " failed at step " + step + " (epoch " + step / epochs.steps()
                    + ", batch rows " + r[0] + ".." + r[1] + shards + "): " + e, e);
        } finally {
            if (data != null) data.close();
        }
    }

    private static float[] addInto(float[] acc, float[] x) {
        for (int i = 0; i < acc.length; i++) acc[i] += x[i];
        return acc;
    }
}
