package dev.jtensor.spark;

import dev.jtensor.Jt;
import org.apache.spark.TaskContext;

/**
 * Matches jtensor's intra-op threads (its parallel loops and OpenBLAS) to the cores Spark gave the task,
 * {@code spark.task.cpus}, so that an executor running {@code cores / task.cpus} tasks at once does not
 * oversubscribe its cores. The setting is per JVM, as {@code torch.set_num_threads} is per process.
 */
final class TaskThreads {
    private TaskThreads() {}

    /** Sets jtensor's threads to the running task's CPUs; outside a task, does nothing. */
    static void matchTaskCpus() {
        TaskContext ctx = TaskContext.get();
        if (ctx == null) return;
        int cpus = Math.max(1, ctx.cpus());
        if (Jt.getNumThreads() != cpus) Jt.setNumThreads(cpus);
    }
}
