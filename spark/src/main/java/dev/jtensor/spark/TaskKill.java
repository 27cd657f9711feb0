package dev.jtensor.spark;

import org.apache.spark.TaskContext;
import org.apache.spark.TaskKilledException;

/**
 * The running task's kill state. Spark marks a task killed when its job is cancelled or fails, or when a
 * barrier stage is retried; it interrupts the thread only if the job asked for it
 * ({@code spark.job.interruptOnCancel}). jtensor's tasks therefore check the mark between batches,
 * between training steps and inside every wait of the ring, and stop with Spark's
 * {@link TaskKilledException} (reported as a killed task, not a failure).
 */
final class TaskKill {
    private TaskKill() {}

    /** Whether the running task has been killed; outside a task, false. */
    static boolean requested() {
        TaskContext ctx = TaskContext.get();
        return ctx != null && ctx.isInterrupted();
    }

    /** Throws {@link TaskKilledException} with Spark's reason if the running task has been killed. */
    static void check() {
        TaskContext ctx = TaskContext.get();
        if (ctx != null && ctx.isInterrupted()) {
            throw new TaskKilledException(ctx.getKillReason().isDefined() ? ctx.getKillReason().get() : "killed");
        }
    }
}
