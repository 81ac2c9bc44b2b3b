# Sourced by the scripts that measure plain Gunicorn with no workersim code on the path
# (measure-seed-runs.sh, measure-gthread-case.sh, trace-gthread-requests.sh): a private work
# directory, the cleanup that leaves no Gunicorn or hey behind on any exit, the article's
# database (Debian's cluster on 5432, the postgres user's password "password") and the
# helpers every run needs. Defines $python, $work and $gunicorn_pid; a script that must undo
# more on exit defines on_cleanup.
#   cd to the repository, then: source scripts/plain-gunicorn.sh NAME
export PATH="/usr/bin:$PATH"   # Debian's python3 and gunicorn
python=/usr/bin/python3
work=$(mktemp -d "/tmp/workersim-$1-XXXXXX")
gunicorn_pid=""

cleanup() {
  if [[ -n "$gunicorn_pid" ]] && kill -0 "$gunicorn_pid" 2>/dev/null; then
    kill -TERM "$gunicorn_pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$gunicorn_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$gunicorn_pid" 2>/dev/null || true
  fi
  pkill -KILL -P $$ hey 2>/dev/null || true
  if declare -F on_cleanup >/dev/null; then on_cleanup || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# The cluster outlives the script: it is started with no descriptor but the standard three, so
# a lock this script runs under (flock /work/measure.lock ...) is not held by PostgreSQL for
# as long as it runs.
start_article_database() {
  (
    for fd in /proc/self/fd/*; do
      n=${fd##*/}
      if (( n > 2 )); then eval "exec $n>&-"; fi
    done
    pg_ctlcluster 15 main start 2>/dev/null
  ) || true
  for _ in $(seq 100); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 0.1; done
  runuser -u postgres -- psql -q -c "ALTER USER postgres PASSWORD 'password'" >/dev/null
}

free_port() { $python -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# Whether the app on PORT answers a request with its 204, end to end (the database too).
app_answers() {
  $python -c "import http.client,sys; h=http.client.HTTPConnection('127.0.0.1',$1,timeout=30); h.request('GET','/'); sys.exit(h.getresponse().status!=204)" 2>/dev/null
}

stop_gunicorn() { kill -TERM "$gunicorn_pid"; wait "$gunicorn_pid" 2>/dev/null || true; gunicorn_pid=""; }
