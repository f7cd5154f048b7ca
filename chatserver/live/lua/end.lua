-- end: ARGV prefix, conversation id, by, reason, now, erase at, content TTL in ms.
-- Returns the ended conversation's fields (HGETALL), or false if unknown or already ended.
-- The erase deadline and the content's last TTL are set in this same step: no crash
-- between two calls can leave an ended conversation without them.
local prefix, conv, by, reason, now = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5]
local ckey = prefix .. 'conv:' .. conv
local c = redis.call('HMGET', ckey, 'state', 'expert_id', 'token')
if not c[1] or c[1] == 'ended' then
  return false
end
redis.call('LREM', prefix .. 'queue', 0, conv)
if c[1] == 'active' and c[2] then
  local ekey = prefix .. 'expert:' .. c[2]
  local cooldown_s = redis.call('HGET', ekey, 'cooldown_s')
  if cooldown_s then
    redis.call('LREM', prefix .. 'expert_chats:' .. c[2], 1, conv)
    local until_ = tonumber(now) + tonumber(cooldown_s)
    redis.call('HSET', ekey, 'idle_since', now,
      'cooldown_until', string.format('%.17g', until_))
  end
end
redis.call('HSET', ckey, 'state', 'ended', 'ended_at', now, 'ended_by', by, 'end_reason', reason)
redis.call('ZADD', prefix .. 'due:erase', ARGV[6], conv)
expire_content(prefix, conv, c[3], ARGV[7])
return redis.call('HGETALL', ckey)
