#!/usr/bin/env bash
# Runs the venue: installs dependencies and builds when needed, makes sure Redis is reachable, then starts
# `node dist/main.js` with the arguments given (e.g. --config config/bench.json).
#
# Redis: when REDIS_URL is set it is used as is. Otherwise a Redis answering on 127.0.0.1:6379 is used, and if
# none answers a private redis-server is started on 127.0.0.1:${PRIVATE_REDIS_PORT:-6380} with its data under
# var/redis (append-only file on, so positions and clearing state survive a restart).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -d node_modules ]; then
  echo "start: installing dependencies (npm ci)"
  npm ci --no-audit --no-fund
fi
if [ ! -f dist/main.js ] || [ -n "$(find src -name '*.ts' -newer dist/main.js -print -quit)" ]; then
  echo "start: building (tsc)"
  npm run --silent build
fi

redis_answers() { # host port
  (exec 3<>"/dev/tcp/$1/$2" && printf 'PING\r\n' >&3 && IFS= read -r -t 2 line <&3 && [[ "$line" == +PONG* ]]) 2>/dev/null
}

if [ -z "${REDIS_URL:-}" ]; then
  if redis_answers 127.0.0.1 6379; then
    export REDIS_URL="redis://127.0.0.1:6379"
  else
    port="${PRIVATE_REDIS_PORT:-6380}"
    if ! command -v redis-server >/dev/null 2>&1; then
      echo "start: no Redis answers on 127.0.0.1:6379 and redis-server is not installed." >&2
      echo "       Install it (Debian/Ubuntu: sudo apt-get install -y redis-server), or set REDIS_URL=redis://host:port" >&2
      exit 1
    fi
    if ! redis_answers 127.0.0.1 "$port"; then
      mkdir -p var/redis
      redis-server --port "$port" --bind 127.0.0.1 --dir "$PWD/var/redis" --appendonly yes \
        --daemonize yes --pidfile "$PWD/var/redis/redis.pid" --logfile "$PWD/var/redis/redis.log"
      for _ in $(seq 1 50); do redis_answers 127.0.0.1 "$port" && break; sleep 0.1; done
      echo "start: no Redis on 127.0.0.1:6379, so started a private redis-server on 127.0.0.1:$port (data in var/redis; stop it with: kill \$(cat var/redis/redis.pid))"
    else
      echo "start: using the private redis-server already running on 127.0.0.1:$port"
    fi
    export REDIS_URL="redis://127.0.0.1:$port"
  fi
fi

exec node dist/main.js "$@"
