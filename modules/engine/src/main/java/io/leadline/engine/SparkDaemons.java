package io.leadline.engine;

/**
 * The main classes of Spark's standalone Master and Worker, for starting a test cluster from a
 * folder of Spark's jars in their own JVMs: the only Spark names outside this module.
 */
public final class SparkDaemons {
  /** {@code MAIN --host H --port P --webui-port W}. */
  public static final String MASTER = "org.apache.spark.deploy.master.Master";

  /** {@code MAIN spark://H:P --host H --cores N --memory M --webui-port W --work-dir D}. */
  public static final String WORKER = "org.apache.spark.deploy.worker.Worker";

  private SparkDaemons() {}
}
