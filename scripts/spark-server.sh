#!/usr/bin/env bash
# scripts/spark-server.sh start|stop|status: a local Spark Connect server for
# the tests of the `spark` feature (issue 14).
#
# start: installs pyspark (4.x, which ships Spark and its Connect server) into
#   a virtual environment under target/ if it is missing, starts
#   `start-connect-server.sh --master 'local[2]'` bound to 127.0.0.1, and waits
#   (at most SPARK_WAIT seconds, default 120) until 127.0.0.1:PORT accepts
#   connections. The server's pid is kept in target/spark/server.pid.
# stop: stops the server by that pid (and only it), waits for it to go.
# status: exit 0 when the port accepts connections.
#
# Environment: SPARK_VENV (default target/spark-venv), SPARK_PORT (15002),
# SPARK_WAIT (120), PYSPARK_SPEC (pip requirement, default "pyspark>=4,<5").
set -euo pipefail
cd "$(dirname "$0")/.."

VENV=${SPARK_VENV:-target/spark-venv}
PORT=${SPARK_PORT:-15002}
WAIT=${SPARK_WAIT:-120}
SPEC=${PYSPARK_SPEC:-pyspark>=4,<5}
STATE=target/spark
PIDFILE=$STATE/server.pid

port_open() {
  (exec 3<> "/dev/tcp/127.0.0.1/$PORT") 2> /dev/null
}

spark_home() {
  "$VENV/bin/python" -c 'import os, pyspark; print(os.path.dirname(pyspark.__file__))'
}

install() {
  if [ -x "$VENV/bin/python" ] && "$VENV/bin/python" -c 'import pyspark' 2> /dev/null; then
    return
  fi
  echo "== install $SPEC into $VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet "$SPEC"
}

start() {
  if port_open; then
    echo "something already listens on 127.0.0.1:$PORT" >&2
    exit 1
  fi
  install
  mkdir -p "$STATE"
  local home
  home=$(spark_home)
  # The server's own pid: spark-daemon.sh writes it under SPARK_PID_DIR.
  export SPARK_HOME=$home SPARK_PID_DIR=$PWD/$STATE SPARK_LOG_DIR=$PWD/$STATE/logs
  export SPARK_LOCAL_IP=127.0.0.1 SPARK_IDENT_STRING=factcheck
  rm -f "$STATE"/*.pid
  # -XX:-DontCompileHugeMethods: a query of many aggregates generates
  # methods longer than the JIT's 8,000-byte limit, which would otherwise
  # run interpreted (minutes instead of seconds at a million rows).
  bash "$home/sbin/start-connect-server.sh" --master 'local[2]' \
    --driver-java-options '-XX:-DontCompileHugeMethods' \
    --conf spark.connect.grpc.binding.address=127.0.0.1 \
    --conf spark.connect.grpc.binding.port="$PORT" \
    --conf spark.ui.enabled=false \
    --conf spark.sql.session.timeZone=UTC > "$STATE/start.log" 2>&1
  local pf
  pf=$(ls "$STATE"/spark-factcheck-*.pid 2> /dev/null | head -n 1 || true)
  if [ -z "$pf" ]; then
    echo "the server did not start (see $STATE/start.log and $STATE/logs)" >&2
    exit 1
  fi
  cp "$pf" "$PIDFILE"
  local waited=0
  until port_open; do
    if ! kill -0 "$(cat "$PIDFILE")" 2> /dev/null; then
      echo "the server exited (see $STATE/logs)" >&2
      exit 1
    fi
    if [ "$waited" -ge "$WAIT" ]; then
      echo "127.0.0.1:$PORT did not open within ${WAIT}s; stopping the server" >&2
      stop
      exit 1
    fi
    sleep 1
    waited=$((waited + 1))
  done
  echo "Spark Connect listens on 127.0.0.1:$PORT (pid $(cat "$PIDFILE"), ${waited}s)"
}

stop() {
  [ -f "$PIDFILE" ] || { echo "no server pid in $PIDFILE"; return 0; }
  local pid
  pid=$(cat "$PIDFILE")
  if kill -0 "$pid" 2> /dev/null; then
    kill "$pid"
    for _ in $(seq 1 30); do
      kill -0 "$pid" 2> /dev/null || break
      sleep 1
    done
    kill -0 "$pid" 2> /dev/null && kill -9 "$pid"
  fi
  rm -f "$PIDFILE" "$STATE"/spark-factcheck-*.pid
  echo "stopped the server (pid $pid)"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) port_open ;;
  *)
    echo "usage: $0 start|stop|status" >&2
    exit 2
    ;;
esac
