-- append_message: ARGV prefix, conversation id, "sender|client_id" or "", message JSON,
-- content TTL in ms.
-- Returns false (unknown conversation), {1, seq, '', conversation} (new) or
-- {0, seq, JSON, conversation} (a resend); conversation is the HGETALL of its hash after
-- the append, so the caller knows whom to deliver to without a second round trip.
-- The message at list index i has seq i + 1, so the JSON itself carries no seq.
-- Every append renews the content TTL in this same step (no round trip of its own); one
-- racing past the end takes the TTL the end gave the conversation.
local prefix, conv, dedup, json = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local ckey = prefix .. 'conv:' .. conv
local c = redis.call('HMGET', ckey, 'state', 'token')
if not c[1] then
  return false
end
local mkey = prefix .. 'msgs:' .. conv
local ikey = prefix .. 'msgclient:' .. conv
local function bound()
  if c[1] ~= 'ended' then
    expire_content(prefix, conv, c[2], ARGV[5])
    return
  end
  local left = redis.call('PTTL', ckey)
  if left > 0 then
    redis.call('PEXPIRE', mkey, left)
    redis.call('PEXPIRE', ikey, left)
  end
end
if dedup ~= '' then
  local seq = redis.call('HGET', ikey, dedup)
  if seq then
    bound()
    local first = redis.call('LINDEX', mkey, tonumber(seq) - 1)
    return { 0, tonumber(seq), first, redis.call('HGETALL', ckey) }
  end
end
local seq = redis.call('RPUSH', mkey, json)
redis.call('HSET', ckey, 'last_seq', seq)
if dedup ~= '' then
  redis.call('HSET', ikey, dedup, seq)
end
bound()
return { 1, seq, '', redis.call('HGETALL', ckey) }
