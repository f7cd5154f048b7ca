-- hit_rate_limit: ARGV prefix, key, limit, window_s, now. Returns 1 when over the limit.
-- A fixed window that starts at the first hit, timed by the caller's `now` (as the memory
-- store); EXPIRE only keeps the key short-lived in real time.
local rkey = ARGV[1] .. 'rl:' .. ARGV[2]
local limit, window, now = tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
local r = redis.call('HMGET', rkey, 'start', 'count')
local count = tonumber(r[2]) or 0
if not r[1] or now - tonumber(r[1]) >= window then
  redis.call('HSET', rkey, 'start', ARGV[5])
  redis.call('EXPIRE', rkey, math.ceil(window) + 1)
  count = 0
end
count = count + 1
redis.call('HSET', rkey, 'count', count)
if count > limit then
  return 1
end
return 0
