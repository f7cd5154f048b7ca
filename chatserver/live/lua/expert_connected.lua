-- expert_connected: ARGV prefix, expert id, display name, focus (",a,b,"), capacity,
-- cooldown_s, now, process id ('' = not recorded). Returns the connection count.
local prefix, id, now = ARGV[1], ARGV[2], ARGV[7]
local ekey = prefix .. 'expert:' .. id
if redis.call('EXISTS', ekey) == 0 then
  redis.call('HSET', ekey, 'conns', 0, 'available', '0', 'idle_since', now,
    'cooldown_until', '0.0')
end
redis.call('HSET', ekey, 'display_name', ARGV[3], 'focus', ARGV[4], 'capacity', ARGV[5],
  'cooldown_s', ARGV[6])
if ARGV[8] ~= '' then
  redis.call('HINCRBY', prefix .. 'proc_experts:' .. ARGV[8], id, 1)
end
return redis.call('HINCRBY', ekey, 'conns', 1)
