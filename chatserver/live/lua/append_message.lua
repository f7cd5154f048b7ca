-- append_message: ARGV prefix, conversation id, "sender|client_id" or "", message JSON.
-- Returns false (unknown conversation), {1, seq, '', conversation} (new) or
-- {0, seq, JSON, conversation} (a resend); conversation is the HGETALL of its hash after
-- the append, so the caller knows whom to deliver to without a second round trip.
-- The message at list index i has seq i + 1, so the JSON itself carries no seq.
local prefix, conv, dedup, json = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local ckey = prefix .. 'conv:' .. conv
if redis.call('EXISTS', ckey) == 0 then
  return false
end
local mkey = prefix .. 'msgs:' .. conv
local ikey = prefix .. 'msgclient:' .. conv
if dedup ~= '' then
  local seq = redis.call('HGET', ikey, dedup)
  if seq then
    local first = redis.call('LINDEX', mkey, tonumber(seq) - 1)
    return { 0, tonumber(seq), first, redis.call('HGETALL', ckey) }
  end
end
local seq = redis.call('RPUSH', mkey, json)
redis.call('HSET', ckey, 'last_seq', seq)
if dedup ~= '' then
  redis.call('HSET', ikey, dedup, seq)
end
return { 1, seq, '', redis.call('HGETALL', ckey) }
