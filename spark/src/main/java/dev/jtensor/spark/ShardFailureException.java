package dev.jtensor.spark;

/**
 * A task's failure on one shard, naming the shard (index and URI), the Spark partition, the shard's
 * array (dtype and shape, once it was read) and the rows being processed: {@code shard 1
 * file:/data/part-01.npy (torch.float64 [500, 8]) in partition 1, rows 0..128 of 500: <the cause>}. The
 * cause is the original exception (a model's dtype or shape error, a bad file, an I/O failure).
 */
public final class ShardFailureException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int shardIndex;
    private final String shardUri;
    private final int partition;
    private final long fromRow;
    private final long toRow;

    /**
     * @param layout the array's dtype and shape, or {@code null} if the shard could not be read
     * @param fromRow first row of the failing batch, or -1 if the failure came before or after the batches
     * @param toRow end (exclusive) of the failing batch, or -1
     * @param rows the shard's rows, or -1 if unknown
     */
    ShardFailureException(Shard shard, int partition, String layout, long fromRow, long toRow, long rows, Throwable cause) {
        super(describe(shard, partition, layout, fromRow, toRow, rows) + ": " + cause, cause);
        this.shardIndex = shard.index();
        this.shardUri = shard.uri();
        this.partition = partition;
        this.fromRow = fromRow;
        this.toRow = toRow;
    }

    private static String describe(Shard shard, int partition, String layout, long fromRow, long toRow, long rows) {
        StringBuilder b = new StringBuilder("shard ").append(shard.index()).append(' ').append(shard.uri());
        if (shard.member() != null) b.append(" member '").append(shard.member()).append('\'');
        if (layout != null) b.append(" (").append(layout).append(')');
        b.append(" in partition ").append(partition);
        if (fromRow >= 0) b.append(", rows ").append(fromRow).append("..").append(toRow).append(" of ").append(rows);
        else if (layout == null) b.append(", while reading it");
        else b.append(", while writing its result");
        return b.toString();
    }

    /** The shard's position in its dataset. */
    public int shardIndex() { return shardIndex; }

    /** The shard's URI. */
    public String shardUri() { return shardUri; }

    /** The Spark partition that processed it. */
    public int partition() { return partition; }

    /** First row of the failing batch, or -1 when the failure was outside the batches. */
    public long fromRow() { return fromRow; }

    /** End (exclusive) of the failing batch, or -1. */
    public long toRow() { return toRow; }
}
