-- transfer: ARGV prefix, conversation id, from expert id, to expert id, now.
-- Returns a TransferResult.
local prefix, conv, from, to, now = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5]
local c = redis.call('HMGET', prefix .. 'conv:' .. conv, 'state', 'expert_id')
if c[1] ~= 'active' then
  return 'not_found'
end
if c[2] ~= from then
  return 'forbidden'
end
local t = redis.call('HMGET', prefix .. 'expert:' .. to, 'conns', 'capacity')
if not t[1] or tonumber(t[1]) == 0 then
  return 'unavailable'
end
if redis.call('LLEN', prefix .. 'expert_chats:' .. to) >= tonumber(t[2]) then
  return 'unavailable'
end
redis.call('LREM', prefix .. 'expert_chats:' .. from, 1, conv)
redis.call('HSET', prefix .. 'expert:' .. from, 'idle_since', now)
assign(prefix, conv, to, now)
return 'ok'
