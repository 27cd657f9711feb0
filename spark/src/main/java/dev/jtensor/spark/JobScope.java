package dev.jtensor.spark;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.apache.spark.api.java.JavaFutureAction;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobEnd;
import org.apache.spark.scheduler.SparkListenerEvent;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.SparkListenerTaskStart;
import scala.jdk.javaapi.CollectionConverters;

/**
 * The jobs jtensor runs for one call, marked with a job tag of their own on top of whatever the caller
 * set: the caller's job group, description, scheduler pool and tags stay as they are, so
 * {@code sc.cancelJobGroup(...)} or {@code cancelJobsWithTag(...)} from a notebook or a job server reaches
 * them (job tags stack, job groups do not). A listener counts the tasks of the tagged jobs as the
 * scheduler launches and ends them, so that after a failure or a cancel the driver can wait until every
 * task has really ended before it deletes temporary output or frees the slots for the next job.
 */
final class JobScope implements AutoCloseable {
    private static final String INTERRUPT = "spark.job.interruptOnCancel";
    private static final String DESCRIPTION = "spark.job.description";

    private final JavaSparkContext sc;
    private final String tag = "jtensor-" + UUID.randomUUID();
    private final String savedInterrupt;
    private final String savedDescription;
    private final Tasks tasks = new Tasks();

    /**
     * @param description the jobs' description in Spark's UI, used only when the caller set none
     * @param interruptOnCancel whether a cancel interrupts the task threads (for the duration of this scope)
     */
    JobScope(JavaSparkContext sc, String description, boolean interruptOnCancel) {
        this.sc = sc;
        this.savedInterrupt = sc.getLocalProperty(INTERRUPT);
        this.savedDescription = sc.getLocalProperty(DESCRIPTION);
        if (interruptOnCancel) sc.setLocalProperty(INTERRUPT, "true");
        if (savedDescription == null) sc.setLocalProperty(DESCRIPTION, description);
        sc.sc().addSparkListener(tasks);
        sc.addJobTag(tag);
    }

    String tag() { return tag; }

    /**
     * Waits for an asynchronous action's result. On failure (a task failed, the caller cancelled the job
     * group, this thread was interrupted) cancels this scope's jobs, waits until each of their tasks has
     * ended (at most {@code endTimeoutMillis}) and rethrows Spark's exception as it is.
     */
    <T> T await(JavaFutureAction<T> action, long endTimeoutMillis) {
        try {
            return action.get();
        } catch (ExecutionException e) {
            cancelAndAwaitEnd(endTimeoutMillis);
            throw Sneaky.rethrow(e.getCause() == null ? e : e.getCause());
        } catch (InterruptedException e) {
            action.cancel(true);
            cancelAndAwaitEnd(endTimeoutMillis);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for Spark jobs " + action.jobIds(), e);
        } catch (RuntimeException | Error e) {
            cancelAndAwaitEnd(endTimeoutMillis);
            throw e;
        }
    }

    /**
     * Cancels this scope's jobs and waits until every task they launched has ended and every job has
     * ended (at most {@code timeoutMillis}); returns whether everything ended in time.
     */
    boolean cancelAndAwaitEnd(long timeoutMillis) {
        if (sc.sc().isStopped()) return false; // no listener bus any more: nothing to wait for
        sc.cancelJobsWithTag(tag, "jtensor: a task failed or the call was cancelled");
        Marker marker = new Marker();
        sc.sc().listenerBus().post(marker); // delivered after every event posted so far: all job starts seen
        return tasks.awaitIdle(marker, timeoutMillis);
    }

    @Override
    public void close() {
        sc.removeJobTag(tag);
        sc.sc().removeSparkListener(tasks);
        sc.setLocalProperty(INTERRUPT, savedInterrupt);
        sc.setLocalProperty(DESCRIPTION, savedDescription);
    }

    /** An event of ours: once the listener receives it, it has received every event posted before it. */
    private static final class Marker implements SparkListenerEvent {
        @Override
        public boolean logEvent() { return false; }
    }

    /** The running jobs and tasks of the tagged jobs, as the listener bus reports them (in order). */
    private final class Tasks extends SparkListener {
        private final Map<Integer, Integer> stageToJob = new HashMap<>();
        private final Set<Integer> runningJobs = new HashSet<>();
        private final Set<Long> runningTasks = new HashSet<>();
        private final Set<Marker> received = new HashSet<>();
        private long lastChange = System.nanoTime();

        @Override
        public synchronized void onOtherEvent(SparkListenerEvent e) {
            if (e instanceof Marker m) {
                received.add(m);
                notifyAll();
            }
        }

        @Override
        public synchronized void onJobStart(SparkListenerJobStart e) {
            String tags = e.properties() == null ? null : e.properties().getProperty("spark.job.tags");
            if (tags == null || !Set.of(tags.split(",")).contains(tag)) return;
            runningJobs.add(e.jobId());
            for (Object stage : CollectionConverters.asJava(e.stageIds())) stageToJob.put((Integer) stage, e.jobId());
            changed();
        }

        @Override
        public synchronized void onJobEnd(SparkListenerJobEnd e) {
            if (runningJobs.remove(e.jobId())) changed();
        }

        @Override
        public synchronized void onTaskStart(SparkListenerTaskStart e) {
            if (stageToJob.containsKey(e.stageId())) {
                runningTasks.add(e.taskInfo().taskId());
                changed();
            }
        }

        @Override
        public synchronized void onTaskEnd(SparkListenerTaskEnd e) {
            if (runningTasks.remove(e.taskInfo().taskId())) changed();
        }

        private void changed() {
            lastChange = System.nanoTime();
            notifyAll();
        }

        /**
         * Waits until no tagged job or task runs and nothing changed for a short while (a task launched
         * while its job was being cancelled is reported a moment after the job's end).
         */
        synchronized boolean awaitIdle(Marker marker, long timeoutMillis) {
            long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
            long quiet = 50_000_000L;
            while (true) {
                long now = System.nanoTime();
                boolean idle = received.contains(marker) && runningJobs.isEmpty() && runningTasks.isEmpty();
                if (idle && now - lastChange >= quiet) {
                    received.remove(marker);
                    return true;
                }
                if (now >= deadline) return false;
                long waitNanos = idle ? Math.min(quiet - (now - lastChange), deadline - now) : Math.min(20_000_000L, deadline - now);
                try {
                    wait(Math.max(1, waitNanos / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
    }
}
