-- expert_disconnected: ARGV prefix, expert id. Returns the remaining connection count.
local ekey = ARGV[1] .. 'expert:' .. ARGV[2]
local conns = redis.call('HGET', ekey, 'conns')
if not conns then
  return 0
end
conns = math.max(0, tonumber(conns) - 1)
redis.call('HSET', ekey, 'conns', conns)
if conns == 0 then
  redis.call('HSET', ekey, 'available', '0')
end
return conns
