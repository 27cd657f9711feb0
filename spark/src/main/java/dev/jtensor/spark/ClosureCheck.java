package dev.jtensor.spark;

import java.io.IOException;
import java.io.NotSerializableException;
import java.io.ObjectOutputStream;
import java.io.OutputStream;

/**
 * Checks on the driver, before any job starts, that what jtensor ships to tasks (a model function, a
 * factory, a loss) serializes; a captured {@code Tensor} or {@code Module} (native memory, not
 * {@code Serializable}) gets a message that says what to do instead of Spark's bare
 * {@code NotSerializableException}.
 */
final class ClosureCheck {
    private ClosureCheck() {}

    /**
     * @throws IllegalArgumentException if {@code value} does not serialize, naming {@code role} and the class
     */
    static void requireSerializable(Object value, String role) {
        try (var out = new ObjectOutputStream(OutputStream.nullOutputStream())) {
            out.writeObject(value);
        } catch (NotSerializableException e) {
            String cls = e.getMessage();
            if (cls != null && cls.startsWith("dev.jtensor.") && !cls.startsWith("dev.jtensor.spark.")) {
                throw new IllegalArgumentException(role + " captures a " + cls + ", which cannot be shipped to Spark tasks: "
                        + "its data lives in native memory. Ship tensors as a broadcast state dict, "
                        + "TensorBroadcast.of(sc, Map.of(\"w\", w)), and read them inside the function with "
                        + "broadcast.get(\"w\"); build modules inside the task (ExecutorModel.fromStateDict or a "
                        + "ModelFactory)", e);
            }
            throw new IllegalArgumentException(role + " is not serializable: it captures a " + cls
                    + " (Spark ships it to every task with Java serialization)", e);
        } catch (IOException e) {
            throw new IllegalArgumentException(role + " cannot be serialized for Spark's tasks: " + e, e);
        }
    }
}
