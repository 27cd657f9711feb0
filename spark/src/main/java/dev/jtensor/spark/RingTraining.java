package dev.jtensor.spark;

import dev.jtensor.nn.Module;
import dev.jtensor.optim.Optimizer;
import java.io.IOException;
import java.io.Serializable;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.BarrierTaskContext;
import org.apache.spark.TaskKilledException;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.rdd.RDD;
import scala.jdk.javaapi.CollectionConverters;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;
import scala.runtime.AbstractFunction1;

/**
 * {@link DataParallelTraining.Collective#RING}: one barrier stage, one task per rank. Each rank listens on
 * a free port, learns its peers' addresses (and their row counts) with a single {@code allGather}, connects
 * a {@link RingProcessGroup}, receives rank 0's initial weights, then trains step by step with gradient
 * all-reduce. Rank 0 returns the final weights and the losses.
 */
final class RingTraining {
    private RingTraining() {}

    /** What rank 0 sends back to the driver, as bytes so that any Spark serializer (Kryo too) carries it. */
    record Outcome(StateBytes state, double[] losses) implements Serializable {
        byte[] toBytes() {
            var bytes = new java.io.ByteArrayOutputStream();
            try (var out = new java.io.ObjectOutputStream(bytes)) {
                out.writeObject(this);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return bytes.toByteArray();
        }

        static Outcome fromBytes(byte[] b) {
            try (var in = new java.io.ObjectInputStream(new java.io.ByteArrayInputStream(b))) {
                return (Outcome) in.readObject();
            } catch (IOException | ClassNotFoundException e) {
                throw new IllegalStateException("cannot read rank 0's result: " + e, e);
            }
        }
    }

    static TrainingResult fit(TrainingPlan plan, JavaSparkContext sc, JavaRDD<Integer> ranks) {
        ClassTag<byte[]> tag = ClassTag$.MODULE$.apply(byte[].class);
        RDD<byte[]> out = ranks.rdd().barrier().mapPartitions(new RankTask(plan), false, tag);
        List<byte[]> results;
        // interruptOnCancel: a cancel wakes ranks blocked in socket waits or the start-up allGather at once
        try (JobScope scope = new JobScope(sc, "jtensor data-parallel training, " + plan.worldSize() + " ranks", true)) {
            // The shuffle makes the barrier stage a shuffle-map stage: when a rank fails, Spark resubmits the
            // whole stage (up to spark.stage.maxConsecutiveAttempts); a failed barrier result stage is not retried.
            // On failure or cancel, await returns only once every rank has ended: their slots are free again.
            results = scope.await(new JavaRDD<>(out, tag).repartition(1).collectAsync(), END_WAIT_MILLIS);
        }
        if (results.size() != 1) throw new IllegalStateException("expected rank 0's result, got " + results.size());
        Outcome o = Outcome.fromBytes(results.get(0));
        return new TrainingResult(o.state().tensors(), o.losses());
    }

    /** How long a failed or cancelled training waits for its ranks to end before it throws anyway. */
    static final long END_WAIT_MILLIS = 30_000;

    /** The body of one barrier task, as the Scala function {@code RDDBarrier.mapPartitions} takes. */
    static final class RankTask extends AbstractFunction1<scala.collection.Iterator<Integer>, scala.collection.Iterator<byte[]>>
            implements Serializable {
        private static final long serialVersionUID = 1L;
        private final TrainingPlan plan;

        RankTask(TrainingPlan plan) { this.plan = plan; }

        @Override
        public scala.collection.Iterator<byte[]> apply(scala.collection.Iterator<Integer> partition) {
            BarrierTaskContext ctx = BarrierTaskContext.get();
            int rank = ctx.partitionId();
            int w = ctx.getTaskInfos().length;
            long[] step = {-1};
            RankData data = null;
            try {
                TaskThreads.matchTaskCpus();
                data = plan.load(rank);
                return CollectionConverters.asScala(train(ctx, rank, data, step));
            } catch (TaskKilledException e) {
                throw e;
            } catch (IOException | RuntimeException e) {
                TaskKill.check(); // failed because the stage was cancelled or is being retried: report the kill
                Throwable cause = e instanceof StepFailure f ? f.getCause() : e;
                String where = step[0] < 0 ? "while starting" : "at step " + step[0];
                String detail = (e instanceof StepFailure f ? f.where + "; " : "") + (data == null ? "" : "shards " + data.shards());
                throw new IllegalStateException("data-parallel rank " + rank + " of " + w + " failed " + where
                        + (detail.isEmpty() ? "" : " (" + detail + ")") + ": " + cause, cause);
            } finally {
                if (data != null) data.close();
            }
        }

        /** Connects the ring and trains; {@code step[0]} follows the current step for messages. */
        private Iterator<byte[]> train(BarrierTaskContext ctx, int rank, RankData data, long[] step) throws IOException {
            ServerSocketChannel server = RingProcessGroup.listen();
            String host = hostOf(ctx.getTaskInfos()[rank].address());
            int port = ((InetSocketAddress) server.getLocalAddress()).getPort();
            List<InetSocketAddress> peers = new ArrayList<>();
            TrainingPlan.Epochs epochs;
            try {
                long minRows = Long.MAX_VALUE;
                long maxRows = 0;
                for (String s : ctx.allGather(host + " " + port + " " + data.rows())) {
                    String[] f = s.split(" ");
                    peers.add(new InetSocketAddress(f[0], Integer.parseInt(f[1])));
                    minRows = Math.min(minRows, Long.parseLong(f[2]));
                    maxRows = Math.max(maxRows, Long.parseLong(f[2]));
                }
                epochs = plan.epochs(minRows, maxRows);
            } catch (RuntimeException e) {
                server.close(); // connect() closes it from here on
                throw e;
            }
            long steps = epochs.total(plan.epochs());
            double[] losses = new double[Math.toIntExact(steps)];
            Module model = null;
            try (ProcessGroup group = RingProcessGroup.connect(rank, peers, server, plan.timeout(), plan.bucketBytes())) {
                model = plan.model().create();
                model.train();
                GradientBuckets.broadcastParameters(group, model.parameters(), 0);
                Optimizer opt = plan.optimizer().create(model.parameters());
                try (GradientBuckets buckets = new GradientBuckets(model.parameters(), plan.bucketBytes())) {
                    for (step[0] = 0; step[0] < steps; step[0]++) {
                        TaskKill.check();
                        try {
                            double local = plan.localBackward(model, data, step[0], epochs);
                            losses[(int) step[0]] = buckets.allReduceMean(group, local);
                        } catch (IOException | RuntimeException e) {
                            long[] r = epochs.rows(step[0], plan.batchSize());
                            throw new StepFailure("epoch " + step[0] / epochs.steps() + ", batch rows " + r[0] + ".." + r[1]
                                    + " of the rank's " + data.rows(), e);
                        }
                        opt.step();
                    }
                }
                return rank == 0
                        ? List.of(new Outcome(StateBytes.of(model.stateDict()), losses).toBytes()).iterator()
                        : List.<byte[]>of().iterator();
            } finally {
                if (model != null) release(model);
            }
        }

        /** Frees the model's parameters and gradients now rather than at the next GC. */
        private static void release(Module model) {
            for (var p : model.parameters()) {
                if (p.grad() != null) p.grad().close();
                p.close();
            }
        }

        private static String hostOf(String address) {
            int colon = address.lastIndexOf(':');
            String host = colon > 0 ? address.substring(0, colon) : address;
            return host.isEmpty() ? "127.0.0.1" : host;
        }
    }

    /** A failure at one step, carrying where in the epoch it happened; unwrapped before it leaves the task. */
    static final class StepFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final String where;

        StepFailure(String where, Throwable cause) {
            super(where + ": " + cause, cause);
            this.where = where;
        }
    }
}
