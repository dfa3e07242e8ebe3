# The rehearsal's readiness checks and its summary: functions sourced by deploy/rehearse.sh (they use its settings).
# shellcheck shell=bash
# --- readiness ------------------------------------------------------------------------------------------------
redis_cli_as() {
    local user=$1 port=$2; shift 2
    REDISCLI_AUTH=$(secret "$user") redis-cli -h "$HOST" -p "$port" --user "$user" --no-auth-warning "$@"
}

wait_redis() {
    local port=$1 name=$2 deadline=$((SECONDS + 30))
    until [ "$(redis_cli_as admin "$port" PING 2>/dev/null)" = PONG ]; do
        alive "$name" || die "$name stopped; see .rehearsal/logs/$name.log"
        [ "$SECONDS" -lt "$deadline" ] || die "$name did not answer PING within 30s"
        sleep 0.2
    done
}

public_curl() {
    curl -fsS -m 5 --resolve "$PUBLIC_NAME:$HTTPS_PORT:$HOST" --resolve "$PARTNER_NAME:$HTTPS_PORT:$HOST" \
        --cacert "$WORK/tls/fullchain.pem" "$@"
}

wait_until() {
    local what=$1; shift
    local deadline=$((SECONDS + STARTUP_TIMEOUT_S)) name
    until "$@" >/dev/null 2>&1; do
        for name in "${order[@]}"; do
            alive "$name" || die "$name (pid ${pid_of[$name]:-none}) stopped while waiting for $what; see .rehearsal/logs/$name.log"
        done
        [ "$SECONDS" -lt "$deadline" ] || die "$what not ready within ${STARTUP_TIMEOUT_S}s"
        sleep 1
    done
}

wait_ready_all() {
    local i
    for i in 1 2; do wait_until "ingest-$i" curl -fsS -m 2 "http://$HOST:${INGEST_PORTS[$((i - 1))]}/health/ready"; done
    for i in 1 2 3; do wait_until "hub-$i" curl -fsS -m 2 "http://$HOST:${HUB_PORTS[$((i - 1))]}/health/ready"; done
    wait_until web curl -fsS -m 2 "http://$HOST:$WEB_PORT/health/ready"
    wait_until "https://$PUBLIC_NAME/" public_curl -o /dev/null "https://$PUBLIC_NAME/"
    wait_until "https://$PUBLIC_NAME/api/v1/matches" public_curl -o /dev/null "https://$PUBLIC_NAME/api/v1/matches"
    wait_until "https://$PARTNER_NAME/" public_curl -o /dev/null "https://$PARTNER_NAME/"
}

wait_app_ready() {
    local name=$1 port
    case "$name" in
        hub-[1-3]) port=${HUB_PORTS[$((${name#hub-} - 1))]} ;;
        ingest-[1-2]) port=${INGEST_PORTS[$((${name#ingest-} - 1))]} ;;
        web) port=$WEB_PORT ;;
        redis-primary) wait_redis "$REDIS_PRIMARY_PORT" "$name"; return ;;
        redis-replica) wait_redis "$REDIS_REPLICA_PORT" "$name"; return ;;
        sentinel-[1-3]) wait_redis "${SENTINEL_PORTS[$((${name#sentinel-} - 1))]}" "$name"; return ;;
        *) return 0 ;;
    esac
    local deadline=$((SECONDS + STARTUP_TIMEOUT_S))
    until curl -fsS -m 2 -o /dev/null "http://$HOST:$port/health/ready" 2>/dev/null; do
        alive "$name" || return 1
        [ "$SECONDS" -lt "$deadline" ] || return 1
        sleep 0.2
    done
}

print_summary() {
    cat <<SUMMARY

  ScoreFeed production rehearsal is running. Press Ctrl+C to stop everything.

  Fans        https://$PUBLIC_NAME/              (nginx on $HOST:$HTTPS_PORT; http://$PUBLIC_NAME/ redirects)
  Operators   https://$PUBLIC_NAME/operator      user 'rehearsal', password in .rehearsal/secrets/operator
  Partner     https://$PARTNER_NAME/             the widget and the iframe (partner key demo)
  Not allowed https://$EVIL_NAME/                a page whose connection the hubs refuse
  Browser     chromium --host-resolver-rules="MAP $PUBLIC_NAME $HOST, MAP $PARTNER_NAME $HOST, MAP $EVIL_NAME $HOST" \\
                       --ignore-certificate-errors https://$PUBLIC_NAME/
              (or add "$HOST $PUBLIC_NAME $PARTNER_NAME $EVIL_NAME" to /etc/hosts)
  curl        curl --resolve $PUBLIC_NAME:$HTTPS_PORT:$HOST --cacert .rehearsal/tls/fullchain.pem https://$PUBLIC_NAME/api/v1/matches

  Hubs        http://$HOST:${HUB_PORTS[0]}, :${HUB_PORTS[1]}, :${HUB_PORTS[2]}     Ingest  http://$HOST:${INGEST_PORTS[0]}, :${INGEST_PORTS[1]}
  Web         http://$HOST:$WEB_PORT (demo partner page :$DEMO_PORT)
  Redis       primary $HOST:$REDIS_PRIMARY_PORT, replica $HOST:$REDIS_REPLICA_PORT, Sentinels $HOST:${SENTINEL_PORTS[0]}, :${SENTINEL_PORTS[1]}, :${SENTINEL_PORTS[2]} (master "scorefeed")
              REDISCLI_AUTH=\$(cat .rehearsal/secrets/admin) redis-cli -p $REDIS_PRIMARY_PORT --user admin
  Control     deploy/rehearse.sh --base-port $base_port --ctl stop|start|restart hub-1
  Logs        .rehearsal/logs/NAME.log, nginx: .rehearsal/nginx/logs/error.log

SUMMARY
}
