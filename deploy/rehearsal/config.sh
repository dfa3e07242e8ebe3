# The rehearsal's secrets, certificate and the Redis, Sentinel and nginx configuration it writes: functions sourced
# by deploy/rehearse.sh (they use its settings: ROOT, WORK, HOST, the ports and names).
# shellcheck shell=bash
# --- secrets, certificate, configuration -----------------------------------------------------------------------
secret() {
    local file="$WORK/secrets/$1"
    [ -s "$file" ] || (umask 077; head -c 24 /dev/urandom | base64 | tr -d '/+=' >"$file")
    cat "$file"
}

sha256() { printf '%s' "$1" | sha256sum | cut -d' ' -f1; }

make_secrets() {
    mkdir -p "$WORK/secrets"
    chmod 700 "$WORK/secrets"
    rm -f "$WORK/secrets/"*
    local user
    for user in ingest hub web replication sentinel admin operator; do secret "$user" >/dev/null; done
    (umask 077; head -c 32 /dev/urandom | base64 >"$WORK/secrets/signing-key")
    # The operator account "rehearsal" (role operator): only its hash goes to ingest, made by ingest's own command.
    local output hash
    output=$(secret operator | dotnet "$(app_dir ScoreFeed.Ingest)/ScoreFeed.Ingest.dll" hash-password rehearsal)
    hash=${output%%$'\n'*}
    [ -n "$hash" ] || die "ScoreFeed.Ingest hash-password printed no hash"
    printf '%s' "$hash" >"$WORK/secrets/operator.hash"
    # Goal alerts' VAPID key pair, made per run by the web app's own command (KEY=VALUE lines).
    (umask 077; dotnet "$(app_dir ScoreFeed.Web)/ScoreFeed.Web.dll" generate-vapid-keys | grep -E '^Push__(Public|Private)Key=' >"$WORK/secrets/vapid.env")
    [ "$(wc -l <"$WORK/secrets/vapid.env")" -eq 2 ] || die "ScoreFeed.Web generate-vapid-keys printed no key pair"
}

make_certificate() {
    mkdir -p "$WORK/tls"
    # One self-signed certificate for the three names (a rehearsal only: production has the real one).
    openssl req -x509 -newkey rsa:2048 -nodes -days 7 -sha256 -subj "/CN=$PUBLIC_NAME" \
        -addext "subjectAltName=DNS:$PUBLIC_NAME,DNS:$PARTNER_NAME,DNS:$EVIL_NAME" \
        -addext "basicConstraints=critical,CA:TRUE" \
        -keyout "$WORK/tls/privkey.pem" -out "$WORK/tls/fullchain.pem" 2>/dev/null
}

write_redis_config() {
    local dir="$WORK/redis" user
    mkdir -p "$dir/primary" "$dir/replica"
    local sed_args=()
    for user in ingest hub web replication sentinel admin; do
        sed_args+=(-e "s/@${user^^}_SHA256@/$(sha256 "$(secret "$user")")/")
    done
    # An aclfile holds only user lines: the template's comments go.
    sed "${sed_args[@]}" "$ROOT/deploy/redis/users.acl.template" | grep -Ev '^[[:space:]]*(#|$)' >"$dir/users.acl"
    chmod 600 "$dir/users.acl"
    # Both nodes: the same users, AOF, and the replication credentials (a primary becomes a replica after a failover).
    local node port
    for node in primary replica; do
        port=$REDIS_PRIMARY_PORT
        [ "$node" = replica ] && port=$REDIS_REPLICA_PORT
        cat >"$dir/$node.conf" <<CONF
port $port
bind $HOST
protected-mode yes
dir $dir/$node
aclfile $dir/users.acl
appendonly yes
appendfsync everysec
save ""
masteruser replication
masterauth $(secret replication)
replica-announce-ip $HOST
CONF
        [ "$node" = replica ] && echo "replicaof $HOST $REDIS_PRIMARY_PORT" >>"$dir/$node.conf"
    done
    chmod 600 "$dir"/*.conf
}

write_sentinel_config() {
    local i dir
    for i in 1 2 3; do
        dir="$WORK/sentinel-$i"
        mkdir -p "$dir"
        # Sentinel rewrites its file (what it learns); written afresh each run.
        cat >"$dir/sentinel.conf" <<CONF
port ${SENTINEL_PORTS[$((i - 1))]}
bind $HOST
protected-mode yes
dir $dir
sentinel announce-ip $HOST
sentinel monitor scorefeed $HOST $REDIS_PRIMARY_PORT 2
sentinel down-after-milliseconds scorefeed 5000
sentinel failover-timeout scorefeed 30000
sentinel parallel-syncs scorefeed 1
sentinel auth-user scorefeed sentinel
sentinel auth-pass scorefeed $(secret sentinel)
sentinel sentinel-user sentinel-peer
sentinel sentinel-pass $(secret sentinel)
user default off
user sentinel-peer on #$(sha256 "$(secret sentinel)") allchannels +@all
user admin on #$(sha256 "$(secret admin)") allchannels +@all
user ingest on #$(sha256 "$(secret ingest)") allchannels -@all $SENTINEL_CLIENT_COMMANDS
user hub on #$(sha256 "$(secret hub)") allchannels -@all $SENTINEL_CLIENT_COMMANDS
CONF
        chmod 600 "$dir/sentinel.conf"
    done
}

# What StackExchange.Redis asks a Sentinel (it authenticates to the Sentinels as the app's own user).
readonly SENTINEL_CLIENT_COMMANDS="+ping +hello +auth +info +role +client|setname +client|id +subscribe +unsubscribe +psubscribe +punsubscribe +sentinel|get-master-addr-by-name +sentinel|sentinels +sentinel|replicas +sentinel|slaves +sentinel|master +sentinel|masters"

write_nginx_config() {
    local dir="$WORK/nginx" i
    mkdir -p "$dir/logs" "$dir/temp"
    ln -sf "$ROOT/deploy/nginx/nginx.conf" "$dir/nginx.conf"
    ln -sf /etc/nginx/mime.types "$dir/mime.types"
    {
        echo "# Written by deploy/rehearse.sh: the rehearsal's upstreams, all on $HOST (no resolver, no 'resolve')."
        # As compose's upstreams (deploy/nginx/upstreams.compose.conf): hubs never marked down (max_fails=0).
        echo "upstream hubs {"
        echo "    least_conn;"
        for i in "${HUB_PORTS[@]}"; do echo "    server $HOST:$i max_fails=0;"; done
        echo "    keepalive 32;"
        echo "}"
        echo "upstream ingest {"
        for i in "${INGEST_PORTS[@]}"; do echo "    server $HOST:$i max_fails=1 fail_timeout=5s;"; done
        echo "}"
        echo "upstream web {"
        echo "    server $HOST:$WEB_PORT;"
        echo "}"
        cat <<CONF
# One machine: the tests' thousands of fans all come from $HOST, so the rehearsal does not limit it.
map \$remote_addr \$limit_address {
    default \$binary_remote_addr;
    $HOST "";
}
error_log $dir/logs/error.log warn;
access_log off;
client_body_temp_path $dir/temp/body;
proxy_temp_path $dir/temp/proxy;
fastcgi_temp_path $dir/temp/fastcgi;
uwsgi_temp_path $dir/temp/uwsgi;
scgi_temp_path $dir/temp/scgi;

# A partner site: the web app's demo partner page (it embeds the widget and the iframe from https://$PUBLIC_NAME).
server {
    listen $HOST:$HTTPS_PORT ssl;
    server_name $PARTNER_NAME;
    ssl_certificate $WORK/tls/fullchain.pem;
    ssl_certificate_key $WORK/tls/privkey.pem;
    location / {
        proxy_set_header Host \$host;
        proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
        proxy_set_header X-Forwarded-Proto \$scheme;
        proxy_pass http://$HOST:$DEMO_PORT;
    }
}

# A site that is not allowed to connect: a static page that tries (deploy/rehearsal/evil/).
server {
    listen $HOST:$HTTPS_PORT ssl;
    server_name $EVIL_NAME;
    ssl_certificate $WORK/tls/fullchain.pem;
    ssl_certificate_key $WORK/tls/privkey.pem;
    root $ROOT/deploy/rehearsal/evil;
    types { text/html html; }
}
CONF
    } >"$dir/upstreams.conf"
    cat >"$dir/tls.conf" <<CONF
# Written by deploy/rehearse.sh: the public origin https://$PUBLIC_NAME on $HOST, a self-signed certificate.
listen $HOST:$HTTP_PORT default_server;
listen $HOST:$HTTPS_PORT ssl default_server;
server_name $PUBLIC_NAME;
ssl_certificate $WORK/tls/fullchain.pem;
ssl_certificate_key $WORK/tls/privkey.pem;
CONF
    # The main file's own error log until the configuration is read.
    "$NGINX" -t -q -p "$dir/" -c "$dir/nginx.conf" -g "pid $dir/nginx.pid; error_log $dir/logs/error.log;" ||
        die "nginx rejected the configuration (see above)"
}
