#!/usr/bin/env bash
# A Spark standalone cluster on loopback, from the Spark that PySpark ships (no download):
# one master on 127.0.0.1:7077 (status page http://127.0.0.1:8080) and two workers (1 core,
# 1 GB each; status pages 8081 and 8082). The same deployment model as Databricks, Synapse or
# Dataproc clusters; point healthgap at it with
#   HEALTHGAP_SPARK_MASTER=spark://127.0.0.1:7077 healthgap indicators run --backend spark ...
#
#   scripts/spark_cluster.sh start|stop|status
#
# Logs and pid files go under var/spark/. Settings: SPARK_WORKERS (2), SPARK_WORKER_CORES (1),
# SPARK_WORKER_MEMORY (1g), SPARK_MASTER_PORT (7077), SPARK_MASTER_WEBUI_PORT (8080).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PY=${PYTHON:-$ROOT/.venv/bin/python}
VAR=${HEALTHGAP_VAR_DIR:-$ROOT/var}/spark
WORKERS=${SPARK_WORKERS:-2}
CORES=${SPARK_WORKER_CORES:-1}
MEMORY=${SPARK_WORKER_MEMORY:-1g}
PORT=${SPARK_MASTER_PORT:-7077}
WEBUI=${SPARK_MASTER_WEBUI_PORT:-8080}
MASTER_URL="spark://127.0.0.1:$PORT"

spark_home() { "$PY" -c 'import os, pyspark; print(os.path.dirname(pyspark.__file__))'; }
up() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

launch() {  # name, then the spark-class arguments
  local name=$1; shift
  alive "$VAR/$name.pid" && { echo "spark_cluster: $name already running (pid $(cat "$VAR/$name.pid"))"; return; }
  nohup "$SPARK_HOME/bin/spark-class" "$@" >"$VAR/$name.log" 2>&1 &
  echo $! >"$VAR/$name.pid"
}

workers_registered() {  # the master's JSON status page lists the ALIVE workers
  "$PY" - "$WEBUI" <<'PY'
import json, sys, urllib.request
try:
    with urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/json/", timeout=2) as page:
        status = json.load(page)
except OSError:
    print(0)
else:
    print(sum(1 for w in status.get("workers", []) if w.get("state") == "ALIVE"))
PY
}

start() {
  command -v java >/dev/null || { echo "spark_cluster: no java on PATH (Spark needs Java 17+)" >&2; exit 1; }
  mkdir -p "$VAR"
  export SPARK_HOME; SPARK_HOME=$(spark_home)
  export PYSPARK_PYTHON=$PY SPARK_LOCAL_IP=127.0.0.1 SPARK_NO_DAEMONIZE=1
  export SPARK_LOG_DIR=$VAR SPARK_WORKER_DIR=$VAR/work
  launch master org.apache.spark.deploy.master.Master \
    --host 127.0.0.1 --port "$PORT" --webui-port "$WEBUI"
  for _ in $(seq 1 60); do up "$PORT" && break; sleep 1; done
  up "$PORT" || { echo "spark_cluster: master did not start; see $VAR/master.log" >&2; exit 1; }
  for i in $(seq 1 "$WORKERS"); do
    launch "worker$i" org.apache.spark.deploy.worker.Worker "$MASTER_URL" \
      --host 127.0.0.1 --cores "$CORES" --memory "$MEMORY" --webui-port $((WEBUI + i)) \
      --work-dir "$VAR/work"
  done
  for _ in $(seq 1 60); do
    [ "$(workers_registered)" -ge "$WORKERS" ] && break; sleep 1
  done
  local got; got=$(workers_registered)
  [ "$got" -ge "$WORKERS" ] || { echo "spark_cluster: only $got of $WORKERS workers registered; see $VAR/worker*.log" >&2; exit 1; }
  echo "spark_cluster: master $MASTER_URL (status http://127.0.0.1:$WEBUI), $got workers × $CORES core, $MEMORY"
}

stop() {
  for pidfile in "$VAR"/worker*.pid "$VAR"/master.pid; do
    [ -f "$pidfile" ] || continue
    if alive "$pidfile"; then
      pkill -TERM -P "$(cat "$pidfile")" 2>/dev/null || true
      kill "$(cat "$pidfile")" 2>/dev/null || true
    fi
    rm -f "$pidfile"
  done
  echo "spark_cluster: stopped"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) up "$PORT" && echo "spark_cluster: master up at $MASTER_URL, $(workers_registered) workers" || { echo "spark_cluster: not running"; exit 1; } ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
