-- set_available: ARGV prefix, expert id, "1" or "0", now.
local ekey = ARGV[1] .. 'expert:' .. ARGV[2]
local available = redis.call('HGET', ekey, 'available')
if not available then
  return 0
end
if ARGV[3] == '1' and available ~= '1' then
  redis.call('HSET', ekey, 'idle_since', ARGV[4])
end
redis.call('HSET', ekey, 'available', ARGV[3], 'presence_at', ARGV[4])
return 1
