-- requeue: ARGV prefix, conversation id, now. Returns 1 if requeued, 0 if it was not active.
local prefix, conv, now = ARGV[1], ARGV[2], ARGV[3]
local ckey = prefix .. 'conv:' .. conv
local c = redis.call('HMGET', ckey, 'state', 'expert_id')
if c[1] ~= 'active' then
  return 0
end
if c[2] and redis.call('EXISTS', prefix .. 'expert:' .. c[2]) == 1 then
  redis.call('LREM', prefix .. 'expert_chats:' .. c[2], 1, conv)
  redis.call('HSET', prefix .. 'expert:' .. c[2], 'idle_since', now)
end
redis.call('HSET', ckey, 'state', 'waiting')
if c[2] then
  redis.call('HSET', ckey, 'last_expert_id', c[2])
end
redis.call('HDEL', ckey, 'expert_id', 'expert_name')
redis.call('LPUSH', prefix .. 'queue', conv)
return 1
