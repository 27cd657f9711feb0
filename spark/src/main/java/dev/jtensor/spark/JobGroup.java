package dev.jtensor.spark;

import java.util.UUID;
import org.apache.spark.SparkJobInfo;
import org.apache.spark.SparkStageInfo;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Runs a job in its own Spark job group so that, when it fails, the tasks still running (Spark reports a
 * job's failure before its other tasks have stopped) can be cancelled and waited for before their
 * temporary output is deleted. The caller's own job group is restored afterwards.
 */
final class JobGroup implements AutoCloseable {
    private static final String[] KEYS = {"spark.jobGroup.id", "spark.job.description", "spark.job.interruptOnCancel"};

    private final JavaSparkContext sc;
    private final String id = "jtensor-" + UUID.randomUUID();
    private final String[] saved = new String[KEYS.length];

    JobGroup(JavaSparkContext sc, String description) {
        this.sc = sc;
        for (int i = 0; i < KEYS.length; i++) saved[i] = sc.getLocalProperty(KEYS[i]);
        sc.setJobGroup(id, description, true);
    }

    /** Cancels the group's tasks and waits (at most {@code timeoutMillis}) until none is running. */
    void cancelAndWait(long timeoutMillis) {
        sc.cancelJobGroup(id);
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (activeTasks() > 0 && System.currentTimeMillis() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private int activeTasks() {
        int active = 0;
        for (int job : sc.statusTracker().getJobIdsForGroup(id)) {
            SparkJobInfo info = sc.statusTracker().getJobInfo(job);
            if (info == null) continue;
            for (int stage : info.stageIds()) {
                SparkStageInfo s = sc.statusTracker().getStageInfo(stage);
                if (s != null) active += s.numActiveTasks();
            }
        }
        return active;
    }

    @Override
    public void close() {
        for (int i = 0; i < KEYS.length; i++) sc.setLocalProperty(KEYS[i], saved[i]);
    }
}
