#!/usr/bin/env bash
# The roles of the Leadline image:
#   spark-master                 a Spark standalone master on :7077 (web UI :8080)
#   spark-worker MASTER_URL      a Spark worker; its executors run Leadline's tasks
#   leadline ARGS…               the leadline command (sweep, serve-sim, report, …)
set -euo pipefail
opens=(
  -XX:+IgnoreUnrecognizedVMOptions
  --add-opens=java.base/java.lang=ALL-UNNAMED
  --add-opens=java.base/java.lang.invoke=ALL-UNNAMED
  --add-opens=java.base/java.lang.reflect=ALL-UNNAMED
  --add-opens=java.base/java.io=ALL-UNNAMED
  --add-opens=java.base/java.net=ALL-UNNAMED
  --add-opens=java.base/java.nio=ALL-UNNAMED
  --add-opens=java.base/java.util=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED
  --add-opens=java.base/jdk.internal.ref=ALL-UNNAMED
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED
  --add-opens=java.base/sun.nio.cs=ALL-UNNAMED
  --add-opens=java.base/sun.security.action=ALL-UNNAMED
  --add-opens=java.base/sun.util.calendar=ALL-UNNAMED
  -Djdk.reflect.useDirectMethodHandle=false
  -Dio.netty.tryReflectionSetAccessible=true
)
role="${1:-leadline}"
shift || true
case "$role" in
  spark-master)
    exec java "${opens[@]}" -cp "$SPARK_HOME/jars/*" org.apache.spark.deploy.master.Master \
      --host "$(hostname)" --port 7077 --webui-port 8080 "$@" ;;
  spark-worker)
    exec java "${opens[@]}" -cp "$SPARK_HOME/jars/*" org.apache.spark.deploy.worker.Worker \
      --webui-port 8081 "$@" ;;
  leadline)
    exec /opt/leadline/bin/leadline "$@" ;;
  *)
    echo "leadline-entrypoint: unknown role '$role'; expected spark-master, spark-worker or leadline" >&2
    exit 2 ;;
esac
