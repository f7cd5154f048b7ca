-- expert_disconnected: ARGV prefix, expert id, process id ('' = not recorded).
-- Returns the remaining connection count. A connection whose process was already released
-- as dead is not subtracted twice.
local ekey = ARGV[1] .. 'expert:' .. ARGV[2]
local conns = redis.call('HGET', ekey, 'conns')
if not conns then
  return 0
end
if ARGV[3] ~= '' then
  local pkey = ARGV[1] .. 'proc_experts:' .. ARGV[3]
  local held = tonumber(redis.call('HGET', pkey, ARGV[2]) or '0')
  if held == 0 then
    return tonumber(conns)
  elseif held == 1 then
    redis.call('HDEL', pkey, ARGV[2])
  else
    redis.call('HINCRBY', pkey, ARGV[2], -1)
  end
end
conns = math.max(0, tonumber(conns) - 1)
redis.call('HSET', ekey, 'conns', conns)
return conns
