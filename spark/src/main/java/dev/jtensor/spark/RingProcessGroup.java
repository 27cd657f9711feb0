package dev.jtensor.spark;

import dev.jtensor.DType;
import dev.jtensor.Tensor;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.List;

/**
 * A {@link ProcessGroup} over TCP: rank {@code r} sends to rank {@code r+1} and receives from rank
 * {@code r-1}. All-reduce is the bandwidth-optimal ring (reduce-scatter, then all-gather: each rank sends
 * {@code 2(W-1)/W} of the data), applied to buckets of at most {@code bucketBytes}; sockets read and write
 * the caller's memory directly (direct buffers over the segment, no Java heap copy), and the received
 * chunk is added with jtensor's {@code add_}. Every socket operation is non-blocking under a selector with
 * an idle timeout; a lost peer, a timeout, an interrupt or the Spark task's kill mark (checked at least
 * every 100 ms while waiting) closes the group and throws an {@link IOException} naming this rank and the
 * peer.
 */
public final class RingProcessGroup implements ProcessGroup {
    private static final int MAGIC = 0x4A54524E; // "JTRN"
    private static final long BROADCAST_PIECE = 1 << 20;
    private static final long REDUCE_PIECE = 128 << 10; // a multiple of 4: pieces hold whole floats
    /** The longest a wait goes without checking for an interrupt or the Spark task's kill mark. */
    private static final long POLL_MILLIS = 100;

    private final int rank;
    private final int worldSize;
    private final Duration timeout;
    private final long bucketBytes;
    private final SocketChannel next;
    private final SocketChannel prev;
    private final Selector selector;
    private final Arena arena = Arena.ofShared();
    private MemorySegment scratch = MemorySegment.NULL;
    private boolean closed;

    private RingProcessGroup(int rank, int worldSize, Duration timeout, long bucketBytes,
                             SocketChannel next, SocketChannel prev, Selector selector) {
        this.rank = rank;
        this.worldSize = worldSize;
        this.timeout = timeout;
        this.bucketBytes = bucketBytes;
        this.next = next;
        this.prev = prev;
        this.selector = selector;
    }

    /** A listening socket on all interfaces and a free port; its port is what peers must learn. */
    public static ServerSocketChannel listen() throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open();
        server.bind(new InetSocketAddress(0));
        return server;
    }

    /**
     * Connects the ring: rank {@code rank} of {@code peers.size()}, {@code peers.get(i)} being where rank
     * {@code i} listens, {@code server} this rank's own {@link #listen()} socket (closed on return).
     *
     * @param timeout the longest any socket operation may make no progress
     * @param bucketBytes the largest piece reduced in one pass of the ring (memory of the scratch buffer)
     */
    public static RingProcessGroup connect(int rank, List<InetSocketAddress> peers, ServerSocketChannel server,
                                           Duration timeout, long bucketBytes) throws IOException {
        int w = peers.size();
        if (rank < 0 || rank >= w) throw new IllegalArgumentException("rank " + rank + " outside world of " + w);
        if (bucketBytes < 4 * w) throw new IllegalArgumentException("bucketBytes " + bucketBytes + " too small for " + w + " ranks");
        if (w == 1) {
            server.close();
            return new RingProcessGroup(0, 1, timeout, bucketBytes, null, null, null);
        }
        int nextRank = (rank + 1) % w;
        int prevRank = (rank + w - 1) % w;
        SocketChannel next = null;
        SocketChannel prev = null;
        Selector selector = Selector.open();
        try (server) {
            next = SocketChannel.open();
            next.setOption(StandardSocketOptions.TCP_NODELAY, true);
            try {
                next.socket().connect(peers.get(nextRank), (int) timeout.toMillis());
            } catch (IOException e) {
                throw new IOException("rank " + rank + ": cannot connect to rank " + nextRank + " at " + peers.get(nextRank)
                        + " within " + timeout.toMillis() + " ms: " + e.getMessage(), e);
            }
            next.configureBlocking(false);
            server.configureBlocking(false);
            SelectionKey acceptKey = server.register(selector, SelectionKey.OP_ACCEPT);
            long deadline = System.nanoTime() + timeout.toNanos();
            while ((prev = server.accept()) == null) {
                long left = deadline - System.nanoTime();
                if (left <= 0) throw new SocketTimeoutException("rank " + rank + ": rank " + prevRank + " did not connect within " + timeout.toMillis() + " ms");
                selector.select(Math.clamp(left / 1_000_000, 1, POLL_MILLIS));
                selector.selectedKeys().clear();
                if (Thread.interrupted() || TaskKill.requested()) {
                    throw new InterruptedIOException("rank " + rank + ": interrupted or killed while waiting for rank " + prevRank);
                }
            }
            acceptKey.cancel();
            selector.selectNow();
            prev.configureBlocking(false);
            prev.setOption(StandardSocketOptions.TCP_NODELAY, true);
            var group = new RingProcessGroup(rank, w, timeout, bucketBytes, next, prev, selector);
            group.handshake(prevRank);
            return group;
        } catch (IOException | RuntimeException e) {
            for (var c : new java.io.Closeable[] {next, prev, selector}) {
                if (c != null) try { c.close(); } catch (IOException ignored) { /* already failing */ }
            }
            throw e;
        }
    }

    private void handshake(int prevRank) throws IOException {
        ByteBuffer out = ByteBuffer.allocateDirect(8).putInt(MAGIC).putInt(rank).flip();
        ByteBuffer in = ByteBuffer.allocateDirect(8);
        exchange(out, in, "the handshake");
        in.flip();
        int magic = in.getInt();
        int peer = in.getInt();
        if (magic != MAGIC || peer != prevRank) {
            close();
            throw new IOException("rank " + rank + ": expected rank " + prevRank + " to connect, got magic " + Integer.toHexString(magic) + " rank " + peer);
        }
    }

    @Override public int rank() { return rank; }

    @Override public int worldSize() { return worldSize; }

    @Override
    public synchronized void allReduceFloats(MemorySegment floats) throws IOException {
        if (floats.byteSize() % 4 != 0) throw new IllegalArgumentException("allReduceFloats: " + floats.byteSize() + " bytes is not whole floats");
        if (worldSize == 1) return;
        long bucket = bucketBytes / 4 * 4;
        for (long off = 0; off < floats.byteSize(); off += bucket) {
            ringAllReduce(floats.asSlice(off, Math.min(bucket, floats.byteSize() - off)));
        }
    }

    /** Reduce-scatter then all-gather over {@code W} chunks of one bucket. */
    private void ringAllReduce(MemorySegment data) throws IOException {
        long n = data.byteSize() / 4;
        int w = worldSize;
        long maxChunk = (n + w - 1) / w * 4;
        if (scratch.byteSize() < maxChunk) scratch = arena.allocate(maxChunk, 64);
        for (int step = 0; step < w - 1; step++) {
            MemorySegment send = chunk(data, n, Math.floorMod(rank - step, w));
            MemorySegment target = chunk(data, n, Math.floorMod(rank - step - 1, w));
            MemorySegment received = scratch.asSlice(0, target.byteSize());
            // the whole chunk is sent while the received one is added piece by piece as it arrives,
            // so the add overlaps the transfer and each piece is added while still in cache
            long[] added = {0};
            exchange(buffer(send), buffer(received), "all-reduce", got -> {
                while (got - added[0] >= REDUCE_PIECE || (got == received.byteSize() && added[0] < got)) {
                    long len = Math.min(REDUCE_PIECE, got - added[0]);
                    Tensor.wrap(target.asSlice(added[0], len), DType.FLOAT32, len / 4)
                            .add_(Tensor.wrap(received.asSlice(added[0], len), DType.FLOAT32, len / 4));
                    added[0] += len;
                }
            });
        }
        for (int step = 0; step < w - 1; step++) {
            int sendChunk = Math.floorMod(rank + 1 - step, w);
            int recvChunk = Math.floorMod(rank - step, w);
            exchange(buffer(chunk(data, n, sendChunk)), buffer(chunk(data, n, recvChunk)), "all-reduce");
        }
    }

    private MemorySegment chunk(MemorySegment data, long n, int i) {
        long from = n * i / worldSize;
        long to = n * (i + 1) / worldSize;
        return data.asSlice(from * 4, (to - from) * 4);
    }

    @Override
    public synchronized void broadcastBytes(MemorySegment data, int root) throws IOException {
        if (root < 0 || root >= worldSize) throw new IllegalArgumentException("root " + root + " outside world of " + worldSize);
        if (worldSize == 1 || data.byteSize() == 0) return;
        long size = data.byteSize();
        int pieces = (int) ((size + BROADCAST_PIECE - 1) / BROADCAST_PIECE);
        boolean receives = rank != root;
        boolean forwards = (rank + 1) % worldSize != root;
        ByteBuffer empty = ByteBuffer.allocate(0);
        // piece k is forwarded while piece k+1 arrives
        if (receives) exchange(empty, buffer(piece(data, 0, BROADCAST_PIECE)), "broadcast");
        for (int k = 0; k < pieces; k++) {
            ByteBuffer out = forwards ? buffer(piece(data, k, BROADCAST_PIECE)) : empty;
            ByteBuffer in = receives && k + 1 < pieces ? buffer(piece(data, k + 1, BROADCAST_PIECE)) : empty;
            exchange(out, in, "broadcast");
        }
    }

    /** Piece {@code k} of {@code size} bytes of {@code data}; empty past its end. */
    private static MemorySegment piece(MemorySegment data, long k, long size) {
        long from = Math.min(k * size, data.byteSize());
        return data.asSlice(from, Math.min(size, data.byteSize() - from));
    }

    private static long ceilDiv(long a, long b) { return (a + b - 1) / b; }

    @Override
    public void barrier() throws IOException {
        try (Arena a = Arena.ofConfined()) {
            allReduceFloats(a.allocate(4L * worldSize, 4));
        }
    }

    private static ByteBuffer buffer(MemorySegment s) { return s.asByteBuffer().order(ByteOrder.LITTLE_ENDIAN); }

    /** Sends {@code out} to the next rank while receiving {@code in} from the previous one. */
    private void exchange(ByteBuffer out, ByteBuffer in, String what) throws IOException {
        exchange(out, in, what, got -> { });
    }

    /** Told how many bytes of {@code in} have arrived so far, after every read that made progress. */
    private interface Arrival { void received(long bytes); }

    private void exchange(ByteBuffer out, ByteBuffer in, String what, Arrival arrival) throws IOException {
        if (closed) throw new IOException("rank " + rank + ": process group is closed");
        int nextRank = (rank + 1) % worldSize;
        int prevRank = (rank + worldSize - 1) % worldSize;
        long idle = timeout.toNanos();
        long lastProgress = System.nanoTime();
        try {
            while (out.hasRemaining() || in.hasRemaining()) {
                if (Thread.interrupted() || TaskKill.requested()) {
                    throw new InterruptedIOException("rank " + rank + ": interrupted or killed during " + what);
                }
                boolean progress = false;
                if (out.hasRemaining()) {
                    try {
                        progress = next.write(out) > 0;
                    } catch (IOException e) {
                        throw new IOException("rank " + rank + ": lost rank " + nextRank + " during " + what + ": " + e.getMessage(), e);
                    }
                }
                if (in.hasRemaining()) {
                    int got;
                    try {
                        got = prev.read(in);
                    } catch (IOException e) {
                        throw new IOException("rank " + rank + ": lost rank " + prevRank + " during " + what + ": " + e.getMessage(), e);
                    }
                    if (got < 0) throw new IOException("rank " + rank + ": rank " + prevRank + " closed the connection during " + what);
                    if (got > 0) {
                        progress = true;
                        arrival.received(in.position());
                    }
                }
                long now = System.nanoTime();
                if (progress) {
                    lastProgress = now;
                    continue;
                }
                long left = idle - (now - lastProgress);
                if (left <= 0) {
                    throw new SocketTimeoutException("rank " + rank + ": no progress with rank " + prevRank + "/" + nextRank
                            + " for " + timeout.toMillis() + " ms during " + what);
                }
                register(next, out.hasRemaining() ? SelectionKey.OP_WRITE : 0);
                register(prev, in.hasRemaining() ? SelectionKey.OP_READ : 0);
                selector.select(Math.clamp(left / 1_000_000, 1, POLL_MILLIS));
                selector.selectedKeys().clear();
            }
        } catch (IOException e) {
            close(); // peers then fail at once instead of waiting for their timeout
            throw e;
        }
    }

    private void register(SocketChannel ch, int ops) throws IOException {
        SelectionKey key = ch.keyFor(selector);
        if (key == null) ch.register(selector, ops);
        else if (key.interestOps() != ops) key.interestOps(ops);
    }

    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        for (var c : new java.io.Closeable[] {next, prev, selector}) {
            if (c != null) try { c.close(); } catch (IOException ignored) { /* closing anyway */ }
        }
        arena.close();
    }
}
