-- assert_expert: ARGV prefix, expert id, display name, focus (",a,b,"), capacity,
-- cooldown_s, now, process id, connections of that process, available ('1', '0', or ''
-- when the process does not know), presence_at of that word. Returns the connection count.
-- Sets the process's share to the given count and moves the shared count by the
-- difference; an expert the store lost is created afresh. The newer availability wins.
local prefix, id, now = ARGV[1], ARGV[2], ARGV[7]
local ekey = prefix .. 'expert:' .. id
if redis.call('EXISTS', ekey) == 0 then
  redis.call('HSET', ekey, 'conns', 0, 'available', '0', 'idle_since', now,
    'cooldown_until', '0.0', 'presence_at', '0')
end
redis.call('HSET', ekey, 'display_name', ARGV[3], 'focus', ARGV[4], 'capacity', ARGV[5],
  'cooldown_s', ARGV[6])
local pkey = prefix .. 'proc_experts:' .. ARGV[8]
local held = tonumber(redis.call('HGET', pkey, id) or '0')
local want = tonumber(ARGV[9])
if want > 0 then
  redis.call('HSET', pkey, id, want)
else
  redis.call('HDEL', pkey, id)
end
local conns = math.max(0, tonumber(redis.call('HGET', ekey, 'conns')) + want - held)
redis.call('HSET', ekey, 'conns', conns)
local said = tonumber(redis.call('HGET', ekey, 'presence_at') or '0')
if ARGV[10] ~= '' and tonumber(ARGV[11]) > said then
  if ARGV[10] == '1' and redis.call('HGET', ekey, 'available') ~= '1' then
    redis.call('HSET', ekey, 'idle_since', now)
  end
  redis.call('HSET', ekey, 'available', ARGV[10], 'presence_at', ARGV[11])
end
return conns
