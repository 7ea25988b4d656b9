# Start and stop the processes of `make run` (sourced by scripts/run).
#
# Each service runs in a process group of its own (job control), so the terminal's Ctrl-C
# reaches the script only, and stopping a service stops its children too (the worker's
# pool). stop_services asks every group to stop (SIGTERM) and kills, saying so, what is
# still running after STOP_SECONDS: a Celery worker in warm shutdown waits for its running
# tasks however long they take, and ignored SIGQUIT when it hung.

STOP_SECONDS=${STOP_SECONDS:-10}
service_pids=()

start_service() {  # start_service LOGFILE COMMAND...
  local log=$1
  shift
  set -m
  "$@" >"$log" 2>&1 &
  service_pids+=($!)
  set +m
}

stop_services() {
  local pid alive deadline now
  for pid in "${service_pids[@]}"; do kill -TERM -- "-$pid" 2>/dev/null || true; done
  # A deadline on the clock (bash 5's EPOCHREALTIME, read without a fork), not a count of
  # naps: on a loaded machine each nap takes longer than it says, and a count overran the
  # limit. A second is kept for the kill and the reaping.
  now=${EPOCHREALTIME/[.,]/}
  deadline=$(( now + (STOP_SECONDS - 1) * 1000000 ))
  while [ "$now" -lt "$deadline" ]; do
    alive=0
    for pid in "${service_pids[@]}"; do kill -0 -- "-$pid" 2>/dev/null && alive=1; done
    [ "$alive" = 0 ] && break
    sleep 0.2
    now=${EPOCHREALTIME/[.,]/}
  done
  for pid in "${service_pids[@]}"; do
    if kill -0 -- "-$pid" 2>/dev/null; then
      echo "Process group $pid did not stop within $STOP_SECONDS s; killed it." >&2
      kill -KILL -- "-$pid" 2>/dev/null || true
    fi
  done
  wait 2>/dev/null || true
}
