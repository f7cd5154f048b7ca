-- Shared content TTL, prepended to the scripts that set or renew it (Retention.ttl_s).
-- The keys holding a conversation's content: its hash, messages, resend index and token.

-- Give every content key of `conv` the time to live `ttl_ms` (a key not made yet is skipped:
-- the script that makes it gives it its TTL in the same step).
local function expire_content(prefix, conv, token, ttl_ms)
  redis.call('PEXPIRE', prefix .. 'conv:' .. conv, ttl_ms)
  redis.call('PEXPIRE', prefix .. 'msgs:' .. conv, ttl_ms)
  redis.call('PEXPIRE', prefix .. 'msgclient:' .. conv, ttl_ms)
  if token then
    redis.call('PEXPIRE', prefix .. 'token:' .. token, ttl_ms)
  end
end

-- Renew the TTL of `conv` while it lives: an ended one keeps the TTL its end gave it.
-- Returns whether the conversation exists.
local function renew_content(prefix, conv, ttl_ms)
  local c = redis.call('HMGET', prefix .. 'conv:' .. conv, 'state', 'token')
  if not c[1] then
    return false
  end
  if c[1] ~= 'ended' then
    expire_content(prefix, conv, c[2], ttl_ms)
  end
  return true
end
