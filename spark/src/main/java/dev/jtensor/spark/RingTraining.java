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

    static TrainingResult fit(TrainingPlan plan, JavaRDD<Integer> ranks) {
        ClassTag<byte[]> tag = ClassTag$.MODULE$.apply(byte[].class);
        RDD<byte[]> out = ranks.rdd().barrier().mapPartitions(new RankTask(plan), false, tag);
        // The shuffle makes the barrier stage a shuffle-map stage: when a rank fails, Spark resubmits the
        // whole stage (up to spark.stage.maxConsecutiveAttempts); a failed barrier result stage is not retried.
        List<byte[]> results = new JavaRDD<>(out, tag).repartition(1).collect();
        if (results.size() != 1) throw new IllegalStateException("expected rank 0's result, got " + results.size());
        Outcome o = Outcome.fromBytes(results.get(0));
        return new TrainingResult(o.state().tensors(), o.losses());
    }

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
            long step = -1;
            try {
                TaskThreads.matchTaskCpus();
                RankData data = plan.load(rank);
                ServerSocketChannel server = RingProcessGroup.listen();
                String host = hostOf(ctx.getTaskInfos()[rank].address());
                int port = ((InetSocketAddress) server.getLocalAddress()).getPort();
                String[] all = ctx.allGather(host + " " + port + " " + data.rows());
                List<InetSocketAddress> peers = new ArrayList<>();
                long minRows = Long.MAX_VALUE;
                for (String s : all) {
                    String[] f = s.split(" ");
                    peers.add(new InetSocketAddress(f[0], Integer.parseInt(f[1])));
                    minRows = Math.min(minRows, Long.parseLong(f[2]));
                }
                long perEpoch = plan.stepsPerEpoch(minRows);
                long steps = perEpoch * plan.epochs();
                double[] losses = new double[Math.toIntExact(steps)];
                try (ProcessGroup group = RingProcessGroup.connect(rank, peers, server, plan.timeout(), plan.bucketBytes())) {
                    Module model = plan.model().create();
                    model.train();
                    GradientBuckets.broadcastParameters(group, model.parameters(), 0);
                    Optimizer opt = plan.optimizer().create(model.parameters());
                    try (GradientBuckets buckets = new GradientBuckets(model.parameters(), plan.bucketBytes())) {
                        for (step = 0; step < steps; step++) {
                            double local = plan.localBackward(model, data, step, perEpoch);
                            losses[(int) step] = buckets.allReduceMean(group, local);
                            opt.step();
                        }
                    }
                    Iterator<byte[]> result = rank == 0
                            ? List.of(new Outcome(StateBytes.of(model.stateDict()), losses).toBytes()).iterator()
                            : List.<byte[]>of().iterator();
                    return CollectionConverters.asScala(result);
                }
            } catch (IOException | RuntimeException e) {
                String where = step < 0 ? "while starting" : "at step " + step;
                throw new IllegalStateException("data-parallel rank " + rank + " of " + w + " failed " + where + ": " + e, e);
            }
        }

        private static String hostOf(String address) {
            int colon = address.lastIndexOf(':');
            String host = colon > 0 ? address.substring(0, colon) : address;
            return host.isEmpty() ? "127.0.0.1" : host;
        }
    }
}
