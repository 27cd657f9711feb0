package dev.jtensor.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * The embedded Spark every test class starts once: two local task slots, no UI, loopback only; with
 * {@code kryo}, Spark's Kryo serializer for data (what clusters usually configure) instead of Java's.
 */
final class LocalSpark {
    private LocalSpark() {}

    static JavaSparkContext start(String name) { return start(name, false); }

    static JavaSparkContext start(String name, boolean kryo) {
        SparkConf conf = new SparkConf()
                .setMaster("local[2]")
                .setAppName(name)
                .set("spark.ui.enabled", "false")
                .set("spark.driver.host", "127.0.0.1")
                .set("spark.driver.bindAddress", "127.0.0.1");
        if (kryo) conf.set("spark.serializer", "org.apache.spark.serializer.KryoSerializer");
        JavaSparkContext sc = new JavaSparkContext(conf);
        sc.setLogLevel("WARN");
        return sc;
    }
}
