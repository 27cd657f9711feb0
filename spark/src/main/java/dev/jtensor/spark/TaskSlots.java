package dev.jtensor.spark;

import java.time.Duration;
import org.apache.spark.SparkExecutorInfo;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * The up-front check of a barrier stage's slots. Spark itself, given a barrier stage with more tasks than
 * the cluster can run at once, logs "requires N slots, but only M are available" and resubmits the job
 * every 15 s for about ten minutes ({@code spark.scheduler.barrier.maxConcurrentTasksCheck.*}), a wait
 * no cancel reaches because no job exists yet. jtensor checks first and fails with both numbers and the fix.
 */
final class TaskSlots {
    private TaskSlots() {}

    /** How many tasks of the default resource profile the cluster can run at once (executors * cores / task.cpus). */
    static int total(JavaSparkContext sc) {
        SparkContext c = sc.sc();
        return c.maxNumConcurrentTasks(c.resourceProfileManager().defaultResourceProfile());
    }

    /** Tasks running now, of any job. */
    static int running(JavaSparkContext sc) {
        int n = 0;
        for (SparkExecutorInfo e : sc.statusTracker().getExecutorInfos()) n += e.numRunningTasks();
        return n;
    }

    /**
     * Returns once the cluster has {@code ranks} slots in all, waiting at most {@code wait} for executors
     * still registering; fewer slots than ranks after that fail. Slots that exist but are busy with other
     * jobs are waited for by Spark itself (the stage starts when they free; a cancel reaches it).
     *
     * @throws IllegalStateException naming the ranks, the slots and the fix
     */
    static void require(JavaSparkContext sc, int ranks, Duration wait) {
        // a local master has all its slots from the start; a cluster's executors may still be registering
        long deadline = System.nanoTime() + (sc.isLocal() ? 0 : wait.toNanos());
        int total = total(sc);
        while (total < ranks && System.nanoTime() < deadline) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + ranks + " task slots", e);
            }
            total = total(sc);
        }
        if (total < ranks) {
            int free = Math.max(0, total - running(sc));
            throw new IllegalStateException("data-parallel training with " + ranks + " ranks needs " + ranks
                    + " task slots at once (one barrier task per rank), but the cluster has only " + total + " (" + free
                    + " free now): pass ranks(" + Math.max(1, total) + ") or fewer (ranks read several shards each), or give the "
                    + "application more slots (spark.executor.instances, spark.executor.cores / spark.task.cpus; local[N] locally)");
        }
    }
}
