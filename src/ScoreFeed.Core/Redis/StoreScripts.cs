namespace ScoreFeed.Redis;

/// <summary>
/// The Lua scripts of the store. StackExchange.Redis sends each once and then calls it by SHA.
/// APPLY is the one atomic step every change goes through (docs/architecture.md, "The one rule"): because
/// Redis runs a script without interleaving, concurrent writers (several ingest processes,
/// operators) can never obtain the same seq or leave a gap.
/// </summary>
internal static class StoreScripts
{
    /// <summary>
    /// KEYS: 1 match hash, 2 history stream, 3 live index, 4 all-matches index, 5 competition index, 6 audit stream.
    /// ARGV: <see cref="ApplyArguments"/>, which also names them for the script (its first line).
    /// The pins and the audit entry commit with the change, also when the state itself is unchanged
    /// (a feed that now agrees with a pin clears it without changing what fans see).
    /// Returns { outcome, seq, epoch, previous status, committed-at ms, audit entry id or '' }, outcome one of
    /// applied | unchanged | stale | conflict.
    /// The hash's <c>rid</c> field is the run id of the Redis process that issued its last seq: on any other process the
    /// change starts a new epoch, even when the state is unchanged (see docs/architecture.md, "The rewind rule").
    /// </summary>
    public static readonly string Apply = ApplyArguments.LuaLocals + """
        local h, hist = KEYS[1], KEYS[2]
        local cur = redis.call('HMGET', h, 'body', 'seq', 'epoch', 'comp', 'status', 'pv', 'rid')
        local body, seq, epoch, comp, prevStatus = cur[1], tonumber(cur[2]) or 0, cur[3], cur[4], cur[5] or ''
        -- The rewind rule: the history continues only on the Redis process (run id) that wrote it last. Any other
        -- process (a restart, from whatever snapshot or append-only file; a promoted replica) may hold less than was
        -- published, so the match's history starts over in a new epoch (below) and no seq is issued twice in one.
        local rid = string.match(redis.call('INFO', 'server'), 'run_id:(%x+)')
        local continuous = epoch and cur[7] == rid
        if (expectedSeq ~= '' and tonumber(expectedSeq) ~= seq) or (expectedPinsVersion ~= '' and tonumber(expectedPinsVersion) ~= (tonumber(cur[6]) or 0)) then
          return { 'conflict', seq, epoch or '', prevStatus, 0, '' }
        end
        local vfield = nil
        if providerKey ~= '' and providerVersion ~= '' then
          vfield = 'v:' .. providerKey
          local v = redis.call('HGET', h, vfield)
          -- Older than what this provider delivered: stale. The same version may still be news (versions can be
          -- coarse, e.g. a response Date to the second); if it changes nothing it is 'unchanged' below.
          if v and tonumber(providerVersion) < tonumber(v) then
            return { 'stale', seq, epoch or '', prevStatus, 0, '' }
          end
        end
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        -- Operator pins (with a version that guards them like seq guards the state) and the audit entry.
        local function commitPinsAndAudit()
          if writePins == '1' then
            if pinsJson == '' then redis.call('HDEL', h, 'pins') else redis.call('HSET', h, 'pins', pinsJson) end
            redis.call('HINCRBY', h, 'pv', 1)
          end
          if auditJson == '' then return '' end
          return redis.call('XADD', KEYS[6], '*', 'seq', seq, 'at', now, 'e', auditJson)
        end
        if body == newBody and continuous then
          if vfield then redis.call('HSET', h, vfield, providerVersion) end
          return { 'unchanged', seq, epoch or '', prevStatus, 0, commitPinsAndAudit() }
        end
        if not continuous then
          -- The match's history starts here (a new match, Redis lost it, or another Redis process holds it): new
          -- epoch, seq from 1.
          epoch = newEpoch
          seq = 0
          redis.call('DEL', hist)
        end
        seq = seq + 1
        local id, retention = matchId, tonumber(retentionMs)
        redis.call('HSET', h, 'body', newBody, 'seq', seq, 'epoch', epoch, 'comp', newComp,
          'status', newStatus, 'updatedAt', now, 'rid', rid)
        if vfield then redis.call('HSET', h, vfield, providerVersion) end
        local auditId = commitPinsAndAudit()
        redis.call('XADD', hist, '*', 'seq', seq, 'ts', now, 'u', updateJson)
        redis.call('XTRIM', hist, 'MAXLEN', tonumber(historyLength))
        redis.call('XTRIM', hist, 'MINID', now - tonumber(historyMaxAgeMs))
        -- A standings document (indexed '0') is in no match index: "live" and "competition:" never list it.
        if indexed == '1' then
          if inPlay == '1' then redis.call('SADD', KEYS[3], id) else redis.call('SREM', KEYS[3], id) end
          redis.call('ZADD', KEYS[4], tonumber(startsAt), id)
          redis.call('ZADD', KEYS[5], tonumber(startsAt), id)
          if comp and comp ~= newComp then redis.call('ZREM', compIndexPrefix .. comp, id) end
          -- Forget index entries of matches that started long before the retention window.
          local horizon = now - retention - 86400000
          redis.call('ZREMRANGEBYSCORE', KEYS[4], '-inf', horizon)
          redis.call('ZREMRANGEBYSCORE', KEYS[5], '-inf', horizon)
        end
        if mayExpire == '1' then
          redis.call('PEXPIRE', h, retention)
          redis.call('PEXPIRE', hist, retention)
        else
          redis.call('PERSIST', h)
          redis.call('PERSIST', hist)
        end
        return { 'applied', seq, epoch, prevStatus, now, auditId }
        """;

    /// <summary>
    /// Reads one match atomically: its state and, when the client's position (same epoch, seq behind
    /// the current one) is still fully in history, the updates after it.
    /// KEYS: 1 match hash, 2 history stream. ARGV: 1 client epoch ('' for none), 2 client seq ('' for none),
    /// 3 most updates to recover ('' for no limit): a position further behind gets the snapshot, so that one read costs
    /// Redis a bounded amount of work whatever position a client sends.
    /// Returns {} for an unknown match, else { body, seq, epoch, updatedAt, mode, entries... } where mode is
    /// snapshot | current | recover and each entry is a stream entry { id, { 'seq', s, 'ts', t, 'u', json } }.
    /// </summary>
    public const string Read = """
        local cur = redis.call('HMGET', KEYS[1], 'body', 'seq', 'epoch', 'updatedAt')
        if not cur[1] then return {} end
        local seq = tonumber(cur[2])
        if ARGV[1] ~= '' and ARGV[1] == cur[3] and ARGV[2] ~= '' then
          local last = tonumber(ARGV[2])
          if last == seq then return { cur[1], cur[2], cur[3], cur[4], 'current' } end
          if last >= 0 and last < seq and (ARGV[3] == '' or seq - last <= tonumber(ARGV[3])) then
            local n = seq - last
            local entries = redis.call('XREVRANGE', KEYS[2], '+', '-', 'COUNT', n)
            if #entries == n and tonumber(entries[n][2][2]) == last + 1 then
              return { cur[1], cur[2], cur[3], cur[4], 'recover', entries }
            end
          end
        end
        return { cur[1], cur[2], cur[3], cur[4], 'snapshot' }
        """;

    /// <summary>
    /// Which Redis process this is, and which one the store last checked every match against.
    /// KEYS: 1 the incarnation marker. Returns { run id, marker or '' }.
    /// </summary>
    public const string Incarnation = """
        local rid = string.match(redis.call('INFO', 'server'), 'run_id:(%x+)')
        return { rid, redis.call('GET', KEYS[1]) or '' }
        """;

    /// <summary>
    /// Records that every match was checked against this Redis process: KEYS: 1 the marker. ARGV: 1 the run id the
    /// check ran on. Sets the marker only if this is still that process; returns 1 if set.
    /// </summary>
    public const string MarkIncarnation = """
        if string.match(redis.call('INFO', 'server'), 'run_id:(%x+)') ~= ARGV[1] then return 0 end
        redis.call('SET', KEYS[1], ARGV[1])
        return 1
        """;

    /// <summary>KEYS: 1 lease. ARGV: 1 holder, 2 TTL ms. Sets the lease if free, extends it if ARGV[1] holds it. Returns 1 if held.</summary>
    public const string LeaseAcquireOrRenew = """
        local v = redis.call('GET', KEYS[1])
        if not v then
          redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
          return 1
        end
        if v == ARGV[1] then
          redis.call('PEXPIRE', KEYS[1], ARGV[2])
          return 1
        end
        return 0
        """;

    /// <summary>KEYS: 1 lease. ARGV: 1 holder. Deletes the lease only if ARGV[1] holds it.</summary>
    public const string LeaseRelease = """
        if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
        return 0
        """;
}
